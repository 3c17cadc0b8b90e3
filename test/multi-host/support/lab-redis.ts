import { setTimeout as sleep } from 'node:timers/promises';
import { run } from './run-command.js';
import type { LabHost, LabProcess, NetworkLab } from './network-lab.js';

/**
 * A redis-server of its own on a lab host, on its address only, without persistence (as Compose and Kubernetes run
 * it). Protected mode is off because it binds an explicit address on a network only the lab's hosts share.
 */
export async function startLabRedis(lab: NetworkLab, host: LabHost, port: number): Promise<LabProcess> {
  const started = lab.spawn(host, 'redis', 'redis-server', [
    '--bind',
    host.address,
    '--port',
    String(port),
    '--save',
    '',
    '--appendonly',
    'no',
    '--protected-mode',
    'no',
    '--daemonize',
    'no',
  ]);
  for (let attempt = 0; attempt < 200; attempt++) {
    if (started.child.exitCode !== null) throw new Error(`redis-server exited; see ${started.logFile}`);
    const pong = await run('ip', ['netns', 'exec', host.namespace, 'redis-cli', '-h', host.address, '-p', String(port), 'ping']).catch(() => '');
    if (pong.trim() === 'PONG') return started;
    await sleep(50);
  }
  throw new Error(`redis-server did not answer; see ${started.logFile}`);
}
