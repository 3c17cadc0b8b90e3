import { link, mkdir, open, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { readFileSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** What the lock file says about the launcher that holds it. */
export interface InstanceRecord {
  pid: number;
  /** The GraphQL URL it serves (while `starting`: the one it will serve; `PORT=0` shows port 0 until it is ready). */
  url: string;
  state: 'starting' | 'ready';
  startedAt: string;
}

/** A live `npm start` already owns the data directory: this one must not touch anything. */
export class InstanceRunningError extends Error {
  readonly code = 'INSTANCE_RUNNING';
  constructor(
    readonly holder: InstanceRecord,
    readonly dataDir: string,
  ) {
    const what = holder.state === 'ready' ? `is running (pid ${holder.pid}) at ${holder.url}` : `is starting (pid ${holder.pid}) for ${holder.url}`;
    super(
      `npm start ${what} with the data in ${dataDir}; stop it first (Ctrl-C in its terminal, or kill ${holder.pid}), ` +
        'or give this one its own DATA_DIR, PORT and EMBEDDED_PG_PORT',
    );
    this.name = 'InstanceRunningError';
  }
}

export interface InstanceLock {
  readonly file: string;
  /** Records the URL the platform really serves, once it is up. */
  markReady(url: string): Promise<void>;
  /** Removes the lock if it is still ours. Synchronous, so it also runs in a process `exit` handler. */
  release(): void;
}

export const LOCK_FILE_NAME = 'launcher.lock';
/** A takeover guard older than this was left by a launcher killed mid-takeover (which takes milliseconds). */
const STALE_GUARD_MS = 10_000;

/**
 * Makes the launcher the only one using `dataDir`: its embedded PostgreSQL, its media and the ports it was told to
 * use. The lock file holds the owner's pid and URL and is created with `link()`, which either places the complete
 * file or fails because one exists, so of two starts at the same moment exactly one wins and the other reads a
 * whole record. A lock whose pid is gone (a launcher killed with `kill -9`) is taken over, under a guard file so
 * that two starts cannot both remove it and then both create one.
 *
 * Everything the launcher cleans up from an earlier run (a left-over PostgreSQL) happens only after this succeeds:
 * holding the lock is what proves nothing alive still uses those files.
 */
export async function acquireInstanceLock(dataDir: string, intendedUrl: string): Promise<InstanceLock> {
  await mkdir(dataDir, { recursive: true });
  const file = path.join(dataDir, LOCK_FILE_NAME);
  const record: InstanceRecord = { pid: process.pid, url: intendedUrl, state: 'starting', startedAt: new Date().toISOString() };
  const draft = `${file}.${process.pid}.tmp`;
  await writeFile(draft, `${JSON.stringify(record)}\n`);
  try {
    for (let attempt = 0; attempt < 50; attempt++) {
      try {
        await link(draft, file);
        return lockHandle(file, record);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holder = await readRecord(file);
      if (holder && isLauncherAlive(holder.pid)) throw new InstanceRunningError(holder, dataDir);
      await removeStaleLock(file);
    }
    throw new Error(`could not take ${file}: another start keeps taking it over`);
  } finally {
    await unlink(draft).catch(() => undefined);
  }
}

function lockHandle(file: string, record: InstanceRecord): InstanceLock {
  let current = record;
  const ours = () => readRecordSync(file)?.pid === process.pid;
  return {
    file,
    async markReady(url) {
      if (!ours()) return;
      current = { ...current, url, state: 'ready' };
      const draft = `${file}.${process.pid}.tmp`;
      await writeFile(draft, `${JSON.stringify(current)}\n`);
      // rename() replaces the file in one step: a reader sees the old record or the new one, never half of one.
      await rename(draft, file);
    },
    release() {
      try {
        if (ours()) unlinkSync(file);
      } catch {
        // already gone
      }
    },
  };
}

/** Deletes a lock whose owner is dead, unless another start is doing so right now (then just wait a moment). */
async function removeStaleLock(file: string): Promise<void> {
  const guard = `${file}.takeover`;
  let handle;
  try {
    handle = await open(guard, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const age = await stat(guard).then(
      (info) => Date.now() - info.mtimeMs,
      () => 0,
    );
    if (age > STALE_GUARD_MS) await unlink(guard).catch(() => undefined);
    await sleep(50);
    return;
  }
  try {
    // Re-read under the guard: a lock a live start has just made stays; a missing one is not ours to touch.
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      return;
    }
    const now = safeParse(text);
    if (now === undefined || !isLauncherAlive(now.pid)) await unlink(file).catch(() => undefined);
  } finally {
    await handle.close();
    await unlink(guard).catch(() => undefined);
  }
}

async function readRecord(file: string): Promise<InstanceRecord | undefined> {
  try {
    return parseRecord(await readFile(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function readRecordSync(file: string): InstanceRecord | undefined {
  try {
    return parseRecord(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function safeParse(text: string): InstanceRecord | undefined {
  try {
    return parseRecord(text);
  } catch {
    return undefined;
  }
}

function parseRecord(text: string): InstanceRecord | undefined {
  const value = JSON.parse(text) as Partial<InstanceRecord>;
  if (!Number.isInteger(value.pid) || typeof value.url !== 'string') return undefined;
  return { pid: value.pid!, url: value.url, state: value.state === 'ready' ? 'ready' : 'starting', startedAt: String(value.startedAt ?? '') };
}

/**
 * Whether `pid` is a running launcher. A pid is reused once its process is gone, so on Linux the process must also
 * be one running the launcher; elsewhere (no /proc) being alive has to do.
 */
function isLauncherAlive(pid: number): boolean {
  if (pid === process.pid || pid <= 1) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('launcher');
  } catch {
    return true;
  }
}
