import cluster from 'node:cluster';
import { loadConfigOrExit } from '@cinema/kit/config';
import { createLogger } from '@cinema/kit/logging';
import { ServiceMetrics } from '@cinema/kit/metrics';
import { announceReady, closeGracefully, exitWithParent, listen, runShutdownHooks } from '@cinema/kit/process';
import { CLUSTER_LOAD_INTERVAL_MS, isClusterLoadMessage, runClusterPrimary, type ClusterLoadMessage } from './cluster-primary.js';
import { loadChunkServerConfig } from './config.js';
import { LoadMonitor } from './load-monitor.js';
import { createChunkServer } from './server.js';

// A configuration the process refuses to run with exits with status 2 (the launcher reports it and does not retry).
const config = loadConfigOrExit(() => loadChunkServerConfig());
const logger = createLogger('chunk-server', config.LOG_LEVEL);
const clustered = config.CHUNK_SERVER_WORKERS > 1;

if (clustered && cluster.isPrimary) {
  if (config.usesDevelopmentKey) logger.warn('STREAM_KEYS is not set: using the public development key (refused in production)');
  runClusterPrimary({ workers: config.CHUNK_SERVER_WORKERS, host: config.HOST, logger });
} else {
  if (config.usesDevelopmentKey && !clustered) logger.warn('STREAM_KEYS is not set: using the public development key (refused in production)');
  const load = new LoadMonitor();
  const server = createChunkServer({
    mediaRoot: config.MEDIA_ROOT,
    streamKeys: config.streamKeys,
    peers: config.CHUNK_SERVER_PEERS,
    memoryCacheBytes: config.memoryCacheBytes,
    load,
    logger,
    metrics: new ServiceMetrics(),
  });
  const port = await listen(server, config.PORT, config.HOST);
  const url = `http://${config.HOST}:${port}`;
  if (clustered) {
    // Report this worker's load to the primary and take the other workers' figures back (see runClusterPrimary).
    process.on('message', (message: unknown) => {
      if (isClusterLoadMessage(message) && message.type === 'peer-load') load.setPeers(message.load);
    });
    const report = setInterval(() => process.send?.({ type: 'load', load: load.own() } satisfies ClusterLoadMessage), CLUSTER_LOAD_INTERVAL_MS);
    report.unref();
  } else {
    logger.info({ url, mediaRoot: config.MEDIA_ROOT, peers: config.CHUNK_SERVER_PEERS.length }, 'chunk-server listening');
    announceReady({ service: 'chunk-server', url, port });
  }

  let stopping = false;
  const shutdown = async (reason: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, 'chunk-server shutting down');
    // Viewers mid-segment get their bytes; a stuck connection is cut after the drain timeout.
    await closeGracefully(server, 10_000);
    await runShutdownHooks();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
  // A worker's parent is the cluster primary: when it dies, even by SIGKILL, the worker goes too.
  exitWithParent(() => void shutdown('parent process exited'));
}
