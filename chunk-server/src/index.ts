import { ConfigError, ServiceMetrics, announceReady, closeGracefully, createLogger, exitWithParent, listen, runShutdownHooks } from '@cinema/kit';
import { loadChunkServerConfig, type ChunkServerConfig } from './config.js';
import { createChunkServer } from './server.js';

/** Exit code for a configuration the process refuses to run with (the launcher reports it and does not retry). */
const EXIT_CONFIG_INVALID = 2;

function configOrExit(): Readonly<ChunkServerConfig> {
  try {
    return loadChunkServerConfig();
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(EXIT_CONFIG_INVALID);
  }
}

const config = configOrExit();
const logger = createLogger('chunk-server', config.logLevel);
if (config.usesDevelopmentKey) logger.warn('STREAM_KEYS is not set: using the public development key (refused in production)');

const server = createChunkServer({ mediaRoot: config.mediaRoot, streamKeys: config.streamKeys, logger, metrics: new ServiceMetrics() });
const port = await listen(server, config.port, config.host);
const url = `http://${config.host}:${port}`;
logger.info({ url, mediaRoot: config.mediaRoot }, 'chunk-server listening');
announceReady({ service: 'chunk-server', url, port });

let stopping = false;
async function shutdown(reason: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ reason }, 'chunk-server shutting down');
  // Viewers mid-segment get their bytes; a stuck connection is cut after the drain timeout.
  await closeGracefully(server, 10_000);
  await runShutdownHooks();
  process.exit(0);
}
process.once('SIGTERM', () => void shutdown('SIGTERM'));
process.once('SIGINT', () => void shutdown('SIGINT'));
exitWithParent(() => void shutdown('parent process exited'));
