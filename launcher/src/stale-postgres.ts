import { readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * Stops an embedded PostgreSQL left running by an earlier launcher that was killed without cleanup. Only the
 * postmaster named in our own data directory's `postmaster.pid` is touched, so no other server is ever signalled.
 * Call it only while holding the data directory's instance lock (instance-lock.ts): a live launcher's database
 * looks exactly like a left-over one, and the lock is what tells them apart.
 */
export async function stopStalePostgres(dataDir: string, log: (line: string) => void): Promise<void> {
  let pid: number;
  try {
    pid = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return;
  }
  if (!Number.isInteger(pid) || pid <= 1 || !isAlive(pid)) return;
  let command: string;
  try {
    command = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return;
  }
  if (!command.includes('postgres') || !command.includes(dataDir)) return;
  log(`stopping embedded PostgreSQL (pid ${pid}) left over from an earlier run`);
  process.kill(pid, 'SIGINT');
  for (let i = 0; i < 100 && isAlive(pid); i++) await sleep(100);
}
