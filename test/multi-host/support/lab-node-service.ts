import path from 'node:path';
import { repoRoot } from '../../../deploy/test/support/repo-paths.js';
import type { ReadyMessage } from '../../../packages/kit/src/ready-signal.js';
import type { LabHost, LabProcess, NetworkLab } from './network-lab.js';

/** Preloaded into every service, as the images' CMD and the launcher do. */
const TRACING_REGISTER = path.join(repoRoot, 'packages', 'kit', 'src', 'tracing', 'register.ts');

export interface LabNodeService extends LabProcess {
  /** Base URL on the lab's subnet, e.g. `http://10.231.0.7:4001`. */
  url: string;
}

/**
 * Starts one of the platform's services (`router`, `subgraphs/movies`, `chunk-server`, ...) inside a lab host, with
 * exactly `env` (nothing of the test process's environment leaks in but PATH), and resolves once it reports that it
 * listens. The IPC channel also makes the service exit if the test process dies.
 */
export async function startLabNodeService(
  lab: NetworkLab,
  host: LabHost,
  label: string,
  service: string,
  env: Record<string, string>,
  port: number,
): Promise<LabNodeService> {
  const entry = path.join(repoRoot, service, 'src', 'index.ts');
  const started = lab.spawn(host, label, process.execPath, ['--import', 'tsx', '--import', TRACING_REGISTER, entry], {
    cwd: repoRoot,
    ipc: true,
    env: { PATH: process.env.PATH, APOLLO_TELEMETRY_DISABLED: '1', ...env, PORT: String(port) },
  });
  await new Promise<void>((resolve, reject) => {
    // Generous: on a loaded two-core machine several services compile their TypeScript at once.
    const timer = setTimeout(() => reject(new Error(`${label} not ready after 90 s; see ${started.logFile}`)), 90_000);
    started.child.on('message', (message: ReadyMessage) => {
      if (message?.type !== 'ready') return;
      clearTimeout(timer);
      resolve();
    });
    void started.exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${label} exited with ${code} before it was ready; see ${started.logFile}`));
    });
  });
  return Object.assign(started, { url: `http://${host.address}:${port}` });
}
