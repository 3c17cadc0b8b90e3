import { spawn, type ChildProcess } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { PRODUCTION_NODE_FLAGS, requireBuiltEntry, serviceRuntimeFor, TRACING_REGISTER_SOURCE } from './built-entry.js';
import type { ReadyMessage } from './ready-signal.js';

export interface ServiceProcessOptions {
  /** Label for logs and errors, e.g. `movies#1`. */
  name: string;
  /**
   * TypeScript entry point. Run with tsx, or, when `env.NODE_ENV` is `production`, the JavaScript that
   * `npm run build` made of it (see `builtEntryOf`); production mode without a current build fails to start.
   */
  entry: string;
  env: NodeJS.ProcessEnv;
  /**
   * How long to wait for the service's ready message: 30 s, or `SERVICE_READY_TIMEOUT_MS` from the supervisor's
   * environment (benchmarks on a saturated machine raise it).
   */
  readyTimeoutMs?: number;
  /** Where the child's stdout/stderr go: inherited by default, or ignored. */
  stdio?: 'inherit' | 'ignore' | 'pipe';
  /** Called as soon as the process exists, before it is ready: with piped stdio, read its output from the first line. */
  onSpawn?: (child: ChildProcess) => void;
}

export interface ServiceProcess {
  name: string;
  /** Base URL the service listens on, e.g. `http://127.0.0.1:43121`. */
  url: string;
  pid: number;
  child: ChildProcess;
  /** Resolves with the exit code (or signal) when the process ends, for whatever reason. */
  exited: Promise<number | NodeJS.Signals | null>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
  stop(graceMs?: number): Promise<void>;
}

/** Raised when a service process dies or stays silent before it is ready. */
export class ServiceStartError extends Error {
  readonly code = 'SERVICE_START_FAILED';
  constructor(
    readonly service: string,
    reason: string,
  ) {
    super(`${service} failed to start: ${reason}`);
    this.name = 'ServiceStartError';
  }
}

/**
 * Starts a service as its own OS process and resolves once it listens. The service picks its port (port 0) and
 * reports it over the IPC channel, so supervisors and tests never race for free ports. The IPC channel also
 * lets the child exit when its supervisor dies.
 */
export function startServiceProcess(options: ServiceProcessOptions): Promise<ServiceProcess> {
  let args: string[];
  try {
    // The tracing preload goes first in both modes: instrumentations must be in place before `http` and `pg` load.
    args =
      serviceRuntimeFor(options.env) === 'built'
        ? [...PRODUCTION_NODE_FLAGS, '--import', pathToFileURL(requireBuiltEntry(TRACING_REGISTER_SOURCE)).href, requireBuiltEntry(options.entry)]
        : ['--import', 'tsx', '--import', pathToFileURL(TRACING_REGISTER_SOURCE).href, options.entry];
  } catch (error) {
    return Promise.reject(new ServiceStartError(options.name, error instanceof Error ? error.message : String(error)));
  }
  const child = spawn(process.execPath, args, {
    env: options.env,
    stdio: [options.stdio === 'pipe' ? 'pipe' : 'ignore', options.stdio ?? 'inherit', options.stdio ?? 'inherit', 'ipc'],
  });
  options.onSpawn?.(child);
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  const stop = async (graceMs = 10_000): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };
  const readyTimeoutMs = options.readyTimeoutMs ?? (Number(process.env.SERVICE_READY_TIMEOUT_MS) || 30_000);
  return new Promise<ServiceProcess>((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop(1000);
      reject(new ServiceStartError(options.name, `not ready after ${readyTimeoutMs} ms`));
    }, readyTimeoutMs);
    child.on('message', (message: ReadyMessage) => {
      if (message?.type !== 'ready') return;
      clearTimeout(timer);
      resolve({ name: options.name, url: message.url, pid: child.pid!, child, exited, stop });
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new ServiceStartError(options.name, `exited with ${code} before it was ready`));
    });
  });
}
