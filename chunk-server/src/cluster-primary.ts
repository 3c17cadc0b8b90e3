import cluster, { type Worker } from 'node:cluster';
import type { Logger } from '@cinema/kit/logging';
import { announceReady, exitWithParent } from '@cinema/kit/process';
import { addLoads, type LoadSnapshot } from './load-monitor.js';

/** Messages between the primary and its workers (over the cluster's IPC channel). */
export type ClusterLoadMessage =
  { readonly type: 'load'; readonly load: LoadSnapshot } | { readonly type: 'peer-load'; readonly load: LoadSnapshot | undefined };

export function isClusterLoadMessage(message: unknown): message is ClusterLoadMessage {
  const type = (message as { type?: unknown } | null)?.type;
  return type === 'load' || type === 'peer-load';
}

/** How often workers report their load to the primary and get the others' back. */
export const CLUSTER_LOAD_INTERVAL_MS = 250;

export interface ClusterPrimaryOptions {
  readonly workers: number;
  readonly host: string;
  readonly logger: Logger;
}

/**
 * Runs the chunk server as `workers` processes sharing one port (node:cluster), for machines with more than one
 * core: a chunk server is CPU-bound in its HTTP and TLS work, one event loop per core is how Node uses them all.
 *
 * The primary serves nothing itself. It forks the workers, replaces one that dies unexpectedly, says it is ready
 * once every worker listens, and relays load: each worker reports its own figures every
 * {@link CLUSTER_LOAD_INTERVAL_MS} and gets back the sum of the others', so `/health` on any worker reports the
 * whole server. Killing the primary (even with SIGKILL) ends the workers: they exit when their IPC channel closes.
 */
export function runClusterPrimary(options: ClusterPrimaryOptions): void {
  const { logger } = options;
  const loads = new Map<number, LoadSnapshot>();
  let stopping = false;
  let announced = false;
  const listening = new Set<number>();

  const fork = (): Worker => {
    const worker = cluster.fork();
    worker.on('message', (message: unknown) => {
      if (isClusterLoadMessage(message) && message.type === 'load') loads.set(worker.id, message.load);
    });
    return worker;
  };

  cluster.on('listening', (worker, address) => {
    listening.add(worker.id);
    if (!announced && listening.size >= options.workers) {
      announced = true;
      const url = `http://${options.host}:${address.port}`;
      logger.info({ url, workers: options.workers }, 'chunk-server listening');
      announceReady({ service: 'chunk-server', url, port: address.port });
    }
  });
  cluster.on('exit', (worker, code, signal) => {
    loads.delete(worker.id);
    listening.delete(worker.id);
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    logger.error({ pid: worker.process.pid, code, signal }, 'chunk-server worker died; starting another');
    fork();
  });

  const relay = setInterval(() => {
    for (const worker of Object.values(cluster.workers ?? {})) {
      if (!worker?.isConnected()) continue;
      const others = [...loads].filter(([id]) => id !== worker.id).map(([, load]) => load);
      const message: ClusterLoadMessage = { type: 'peer-load', load: others.length > 0 ? addLoads(others) : undefined };
      worker.send(message);
    }
  }, CLUSTER_LOAD_INTERVAL_MS);
  relay.unref();

  const shutdown = (reason: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, 'chunk-server shutting down its workers');
    clearInterval(relay);
    const workers = Object.values(cluster.workers ?? {});
    if (workers.length === 0) process.exit(0);
    // Each worker drains like a single-process server does on SIGTERM.
    for (const worker of workers) worker?.process.kill('SIGTERM');
    setTimeout(() => process.exit(0), 15_000).unref();
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  exitWithParent(() => shutdown('parent process exited'));

  for (let index = 0; index < options.workers; index += 1) fork();
}
