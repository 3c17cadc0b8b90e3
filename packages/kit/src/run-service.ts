import type { Server } from 'node:http';
import type { Logger } from 'pino';
import { closeGracefully, listen } from './graceful-close.js';
import { announceReady, exitWithParent } from './ready-signal.js';
import { runShutdownHooks } from './shutdown-hooks.js';

export interface RunnableService {
  server: Server;
  /** Releases what the service holds (Apollo, pools, timers) after the HTTP server has drained. */
  stop(): Promise<void>;
}

export interface RunServiceOptions {
  name: string;
  host: string;
  port: number;
  logger: Logger;
  /** How long in-flight requests may take to finish on shutdown before their connections are cut. */
  drainTimeoutMs?: number;
}

/**
 * The `index.ts` half of every service: listen, tell the supervisor the port, and on SIGTERM/SIGINT (or when the
 * supervisor dies) stop accepting, finish in-flight requests, release resources and exit. Rolling restarts rely on
 * this order.
 */
export async function runService(service: RunnableService, options: RunServiceOptions): Promise<void> {
  const { logger, name } = options;
  const port = await listen(service.server, options.port, options.host);
  const url = `http://${options.host}:${port}`;
  logger.info({ url }, `${name} listening`);
  announceReady({ service: name, url, port });

  let stopping = false;
  const shutdown = async (reason: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, `${name} shutting down`);
    const forced = setTimeout(() => process.exit(1), (options.drainTimeoutMs ?? 10_000) + 5_000);
    forced.unref();
    try {
      await closeGracefully(service.server, options.drainTimeoutMs ?? 10_000);
      await service.stop();
      await runShutdownHooks();
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, 'error during shutdown');
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
  exitWithParent(() => void shutdown('parent process exited'));
}
