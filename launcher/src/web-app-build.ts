import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import path from 'node:path';
import { repoRoot } from '@cinema/data-tools';

const webRoot = path.join(repoRoot, 'web');
/** Where the router looks for the app by default (its `WEB_APP_DIR`). */
export const WEB_APP_BUILD_DIR = path.join(webRoot, 'dist');
const SOURCES = ['src', 'index.html', 'vite.config.ts', 'persisted-query-manifest.json', 'package.json'];

function newestMtime(target: string): number {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(target).reduce((newest, entry) => Math.max(newest, newestMtime(path.join(target, entry))), stat.mtimeMs);
}

/** Why the build must be (re)made, or null when `web/dist` is newer than every source of the app. */
export function webAppBuildReason(): string | null {
  const built = path.join(WEB_APP_BUILD_DIR, 'index.html');
  if (!existsSync(built)) return 'no build yet';
  const builtAt = statSync(built).mtimeMs;
  return SOURCES.some((source) => newestMtime(path.join(webRoot, source)) > builtAt) ? 'sources changed since the last build' : null;
}

/** The Vite executable, or undefined when dev dependencies are not installed (`npm ci --omit=dev`). */
function viteBin(): string | undefined {
  try {
    return path.join(path.dirname(createRequire(path.join(webRoot, 'package.json')).resolve('vite/package.json')), 'bin', 'vite.js');
  } catch {
    return undefined;
  }
}

/**
 * Makes sure `web/dist` holds a production build of the current sources, running `vite build` when it is missing
 * or older than them, so `npm ci && npm start` serves the app with no extra step. Resolves false (after saying why)
 * when it cannot build: the graph still starts, without the app.
 */
export async function ensureWebAppBuild(log: (line: string) => void): Promise<boolean> {
  const reason = webAppBuildReason();
  if (!reason) return true;
  const vite = viteBin();
  if (!vite) {
    log('web app: Vite is not installed (npm ci without --omit=dev), serving the graph without the app');
    return existsSync(path.join(WEB_APP_BUILD_DIR, 'index.html'));
  }
  log(`web app: building (${reason})…`);
  const startedAt = Date.now();
  const output: string[] = [];
  const code = await new Promise<number | null>((resolve, reject) => {
    // Always a production build (React's production mode), even from a test run where NODE_ENV is `test`.
    const child = spawn(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
      cwd: webRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_ENV: 'production' },
    });
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.on('error', reject);
    child.on('exit', resolve);
  });
  if (code !== 0) {
    log(`web app: build failed (exit ${code}), serving the graph without the app:\n${output.join('').trim()}`);
    return false;
  }
  log(`web app: built in ${((Date.now() - startedAt) / 1000).toFixed(1)}s`);
  return true;
}

/** How long Vite may take to listen; past that the banner says the app is not there rather than wait forever. */
const DEV_SERVER_READY_TIMEOUT_MS = 60_000;

/** Vite's dev server, as `startWebDevServer` started it. */
export interface WebDevServer {
  url: string;
  /**
   * Whether Vite accepts connections: resolved once it does (its URL goes into the ready banner, which must not name
   * an address that refuses the first click), or false when it exits first or never listens.
   */
  listening: Promise<boolean>;
  stop: () => void;
}

/**
 * `npm run dev`: Vite's dev server with hot reload on `port`, proxying `/graphql` to the router, so the page and the
 * graph still share an origin. Returned at once (so a Ctrl-C while Vite starts still stops it); await `listening`
 * before naming its URL. Stopped with the platform.
 */
export function startWebDevServer(port: number, routerOrigin: string, log: (line: string) => void): WebDevServer | undefined {
  const vite = viteBin();
  if (!vite) {
    log('web app: Vite is not installed, no hot-reload server');
    return undefined;
  }
  const child = spawn(process.execPath, [vite, '--port', String(port), '--strictPort', '--clearScreen', 'false'], {
    cwd: webRoot,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, GRAPH_ORIGIN: routerOrigin },
  });
  const stop = () => child.kill('SIGTERM');
  return { url: `http://127.0.0.1:${port}/`, stop, listening: waitUntilListening(port, child, log) };
}

async function waitUntilListening(port: number, child: ChildProcess, log: (line: string) => void): Promise<boolean> {
  const exited = new Promise<'exited'>((resolve) => child.once('exit', () => resolve('exited')));
  const deadline = Date.now() + DEV_SERVER_READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const outcome = await Promise.race([accepts(port), exited]);
    if (outcome === 'exited') {
      log('web app: the Vite dev server exited before it listened (see its output above)');
      return false;
    }
    if (outcome) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  log(`web app: the Vite dev server did not listen on port ${port} within ${DEV_SERVER_READY_TIMEOUT_MS / 1000} s`);
  child.kill('SIGTERM');
  return false;
}

/** Whether something accepts TCP connections on 127.0.0.1:`port`. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
