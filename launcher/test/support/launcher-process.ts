import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { reservePorts } from '../../src/reserve-port.js';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const launcherEntry = path.join(repoRoot, 'launcher', 'src', 'index.ts');

/** Removes terminal colour codes and carriage returns, so a pseudo-terminal's output reads like a file's. */
// eslint-disable-next-line no-control-regex -- the escape character (\u001b) is exactly what is removed
export const stripAnsi = (text: string): string => text.replace(/\u001b\[[0-9;]*m/g, '').replace(/\r/g, '');

export interface LauncherProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Every line printed so far (stdout and stderr together, colour codes removed). */
  readonly lines: string[];
  readonly exited: Promise<number | null>;
  /** Resolves with the first line (from the start) that matches, or rejects after `timeoutMs` or when the process exits. */
  waitForLine(match: (line: string) => boolean, timeoutMs: number): Promise<string>;
  /** Ctrl-C in its terminal, or SIGTERM to its whole process group; SIGKILL after a grace period; resolves once it has exited. */
  stop(): Promise<void>;
}

export interface LaunchOptions {
  env: NodeJS.ProcessEnv;
  /** Run under a pseudo-terminal (util-linux `script`), as in a person's terminal. */
  tty?: boolean;
  /** Arguments after the entry, e.g. `--dev` as `npm run dev` passes it. */
  args?: string[];
}

/**
 * Starts the real `npm start` entry as its own process group (so that every process it starts can be stopped with
 * it), with the test's own environment: no DATABASE_URL or REDIS_URL inherited from the test run unless given.
 */
export function launch(options: LaunchOptions): LauncherProcess {
  const env: NodeJS.ProcessEnv = { ...process.env, APOLLO_TELEMETRY_DISABLED: '1', ...options.env };
  for (const key of ['DATABASE_URL', 'REDIS_URL', 'LOG_FORMAT', 'LOG_LEVEL', 'NODE_ENV']) if (!(key in options.env)) delete env[key];
  const command = [process.execPath, '--import', 'tsx', launcherEntry, ...(options.args ?? [])];
  // `script -qfec CMD /dev/null` runs CMD on a new pseudo-terminal and copies what it prints to our pipe.
  const child = options.tty
    ? spawn('script', ['-qfec', command.map((part) => `'${part}'`).join(' '), '/dev/null'], {
        cwd: repoRoot,
        env,
        detached: true,
        stdio: ['pipe', 'pipe', 'pipe'],
      })
    : spawn(command[0]!, command.slice(1), { cwd: repoRoot, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  let pending = { stdout: '', stderr: '' };
  const take = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
    const text = pending[stream] + chunk.toString('utf8');
    const parts = text.split('\n');
    pending = { ...pending, [stream]: parts.pop() ?? '' };
    for (const part of parts) lines.push(stripAnsi(part));
    for (const wake of waiters) wake();
  };
  child.stdout.on('data', take('stdout'));
  child.stderr.on('data', take('stderr'));
  let done = false;
  // `close`: the process has exited and its output has been read to the end.
  const exited = new Promise<number | null>((resolve) =>
    child.once('close', (code) => {
      done = true;
      for (const stream of ['stdout', 'stderr'] as const) if (pending[stream]) lines.push(stripAnsi(pending[stream]));
      for (const wake of waiters) wake();
      resolve(code);
    }),
  );

  const waitForLine = (match: (line: string) => boolean, timeoutMs: number) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const found = lines.find(match);
        if (found !== undefined) return finish(() => resolve(found));
        if (done) return finish(() => reject(new Error(`launcher exited before the expected line; it printed:\n${lines.join('\n')}`)));
      };
      const timer = setTimeout(() => finish(() => reject(new Error(`no expected line after ${timeoutMs} ms; printed:\n${lines.join('\n')}`))), timeoutMs);
      const finish = (then: () => void) => {
        clearTimeout(timer);
        waiters.delete(check);
        then();
      };
      waiters.add(check);
      check();
    });

  const stop = async () => {
    if (done) return;
    try {
      // In a terminal, Ctrl-C as a person would press it (the pseudo-terminal signals the launcher and its
      // services, which are not in `script`'s process group); otherwise SIGTERM to the whole group.
      if (options.tty) child.stdin!.write('\u0003');
      else process.kill(-child.pid!, 'SIGTERM');
    } catch {
      return;
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // gone
      }
    }, 30_000);
    await exited;
    clearTimeout(timer);
  };
  return { child, pid: child.pid!, lines, exited, waitForLine, stop };
}

export interface LauncherSandbox {
  /** A data directory of the test's own (readable by the `postgres` user the embedded server runs as). */
  dataDir: string;
  routerPort: number;
  postgresPort: number;
  /** A two-film Wikipedia-format folder for `SEED_FROM`: seeding takes a second instead of the synthetic catalogue's many. */
  seedFolder: string;
  /** The environment of a small, fast platform in this sandbox. */
  env: Record<string, string>;
  cleanup(): Promise<void>;
}

export async function createLauncherSandbox(label: string): Promise<LauncherSandbox> {
  const root = await mkdtemp(path.join(tmpdir(), `launcher-${label}-`));
  await chmod(root, 0o755);
  const dataDir = path.join(root, 'data');
  const seedFolder = path.join(root, 'seed');
  await mkdir(seedFolder);
  await writeFile(
    path.join(seedFolder, 'movies-1990s.json'),
    JSON.stringify([
      { title: 'Heat', year: 1995, cast: ['Al Pacino', 'Robert De Niro'], genres: ['Crime', 'Drama'], href: 'Heat_(1995_film)' },
      { title: 'Fargo', year: 1996, cast: ['Frances McDormand'], genres: ['Crime', 'Comedy'], href: 'Fargo_(1996_film)' },
    ]),
  );
  const [routerPort, postgresPort] = await reservePorts(2);
  return {
    dataDir,
    routerPort: routerPort!,
    postgresPort: postgresPort!,
    seedFolder,
    env: {
      DATA_DIR: dataDir,
      PORT: String(routerPort),
      EMBEDDED_PG_PORT: String(postgresPort),
      SEED_FROM: seedFolder,
      REPLICAS: '1',
      DEMO_VIDEOS: '0',
      RATE_LIMIT: '0',
    },
    cleanup: async () => {
      await stopPostgresIn(path.join(dataDir, 'postgres'));
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** The pid of the PostgreSQL server running on a data directory, from its `postmaster.pid`, if it is alive. */
export async function postmasterPid(pgDataDir: string): Promise<number | undefined> {
  try {
    const pid = Number((await readFile(path.join(pgDataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

/** Stops a PostgreSQL a test left behind (after kill -9 of its launcher), so no server outlives the test. */
async function stopPostgresIn(pgDataDir: string): Promise<void> {
  const pid = await postmasterPid(pgDataDir);
  if (pid === undefined) return;
  process.kill(pid, 'SIGQUIT');
  for (let i = 0; i < 100 && (await postmasterPid(pgDataDir)) !== undefined; i++) await new Promise((resolve) => setTimeout(resolve, 100));
}

/** One GraphQL query over HTTP, as any client would send it. */
export async function query(url: string, text: string): Promise<{ status: number; body: { data?: unknown; errors?: unknown[] } }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: text }) });
  return { status: response.status, body: (await response.json()) as { data?: unknown; errors?: unknown[] } };
}
