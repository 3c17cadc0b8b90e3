import { existsSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LabHost, LabProcess, NetworkLab } from './network-lab.js';

export interface LabForwarder extends LabProcess {
  /** Unix socket in the run directory; connecting to it connects, from `from`, to the target. */
  socketPath: string;
}

/**
 * The test's way into the lab. The test process stays in the machine's own namespace, where the lab's addresses do
 * not exist; a socat inside a lab host (the client machine) listens on a Unix socket (a file, reachable from every
 * namespace) and opens a TCP connection from that host to `address:port` for each connection it accepts. Traffic to
 * the target therefore crosses the lab's network like a real client's.
 */
export async function startLabForwarder(lab: NetworkLab, from: LabHost, label: string, address: string, port: number): Promise<LabForwarder> {
  const socketPath = path.join(lab.dir, `${label}.sock`);
  // socat listens with a backlog of 5 unless told otherwise; a test sending a dozen requests at once then gets EAGAIN
  // from connect() on the Unix socket (the kernel's answer to a full backlog there), which no real client would see.
  const started = lab.spawn(from, `forward-${label}`, 'socat', [
    `UNIX-LISTEN:${socketPath},fork,mode=600,backlog=256`,
    `TCP:${address}:${port},connect-timeout=5`,
  ]);
  for (let attempt = 0; attempt < 200 && !existsSync(socketPath); attempt++) {
    if (started.child.exitCode !== null) throw new Error(`socat for ${label} exited; see ${started.logFile}`);
    await sleep(25);
  }
  if (!existsSync(socketPath)) throw new Error(`socat for ${label} did not listen; see ${started.logFile}`);
  return Object.assign(started, { socketPath });
}
