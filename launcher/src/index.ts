import { loadConfigOrExit } from '@cinema/kit/config';
import { loadLauncherConfig } from './config.js';
import { ConsoleOutput, chooseLogFormat } from './console-output.js';
import { acquireInstanceLock, InstanceRunningError, type InstanceLock } from './instance-lock.js';
import { assertPortFree, PortInUseError } from './port-in-use.js';
import { prepareRunMode } from './run-mode.js';
import { startPlatform, type RunningPlatform } from './start-platform.js';
import { ensureWebAppBuild, startWebDevServer, type WebDevServer } from './web-app-build.js';

const config = loadConfigOrExit(() => loadLauncherConfig());
const output = new ConsoleOutput({ format: chooseLogFormat(config), level: config.LOG_LEVEL });
const log = (line: string) => output.launcher(line);
const startedAt = Date.now();
/** `npm run dev` passes `--dev`: the web app then gets Vite's hot-reload server instead of a production build. */
const development = process.argv.includes('--dev');

// Before anything else: a second `npm start` on the same data must leave the running one alone, and a busy router
// port is one line, not a stack trace after every other process came up.
let lock: InstanceLock;
try {
  lock = await acquireInstanceLock(config.DATA_DIR, `http://${config.HOST}:${config.PORT}/graphql`);
  process.on('exit', () => lock.release());
  await assertPortFree(config.HOST, config.PORT, 'PORT', 'the router');
} catch (error) {
  if (!(error instanceof InstanceRunningError || error instanceof PortInUseError)) throw error;
  output.launcher(error.message, 'error', { code: error.code });
  process.exit(1);
}

let platform: RunningPlatform | undefined;
let webDev: WebDevServer | undefined;
let webAppUrl: string | undefined;
let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  log(`${signal}: stopping every process`);
  webDev?.stop();
  await platform?.stop();
  lock.release();
  log('stopped');
  process.exit(0);
};
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
// The terminal was closed: without this the launcher would die at once and leave its PostgreSQL running.
process.on('SIGHUP', () => void shutdown('SIGHUP'));
// `kill <npm pid>` ends npm without passing the signal on; we notice by being re-parented, and stop cleanly.
const parentPid = process.ppid;
setInterval(() => {
  if (process.ppid !== parentPid) void shutdown('parent process exited');
}, 500).unref();

try {
  log(await prepareRunMode(process.env));
  // Services write to pipes the launcher reads, so their lines come out formatted and named (see console-output.ts).
  // The web app's build (seconds, only when the app changed) runs while the database and subgraphs start; the router
  // waits for it.
  const webBuilt = development ? Promise.resolve(false) : ensureWebAppBuild(log);
  platform = await startPlatform(config, log, { stdio: 'pipe', onServiceSpawned: (name, child) => output.attach(name, child), beforeRouter: webBuilt });
  webAppUrl = (await webBuilt) ? platform.routerUrl.replace(/\/graphql$/, '/') : undefined;
  if (development) {
    webDev = startWebDevServer(config.WEB_DEV_PORT, new URL(platform.routerUrl).origin, log);
    webAppUrl = webDev && (await webDev.listening) ? webDev.url : undefined;
  }
} catch (error) {
  output.launcher(`start failed: ${error instanceof Error ? error.message : String(error)}`, 'error');
  process.exit(1);
}
if (stopping) await new Promise(() => undefined);

const ready = platform;
const elapsed = ((Date.now() - startedAt) / 1000).toFixed(1);
await lock.markReady(ready.routerUrl);
const printBanner = () =>
  output.banner(
    `
  Movie graph ready in ${elapsed}s

  Web app            ${webAppUrl ? `${webAppUrl}${development ? '  (hot reload)' : ''}` : 'not built (see above)'}
  GraphQL endpoint   ${ready.routerUrl}
  Router health      ${ready.routerUrl.replace(/\/graphql$/, '/health')}
  Database           ${ready.databaseUrl.replace(/:[^:@/]+@/, ':***@')}
  Services           ${ready.services
    .filter((s) => s.name !== 'router')
    .map((s) => `${s.name} ${s.url}`)
    .join('\n                     ')}

  A token for signed-in operations:  npm run token -- <user-id>
  Stop with Ctrl-C.
`,
    { url: ready.routerUrl, startSeconds: Number(elapsed), pid: process.pid },
  );
await output.settled();
printBanner();
// The demo videos may finish after the banner (first run only); once they have, the banner is printed again so that
// at idle it is the last thing on screen.
const linesAtBanner = output.linesWritten;
void ready.mediaReady.then(() => {
  if (!stopping && output.linesWritten > linesAtBanner) printBanner();
});

// A service that dies on its own is reported; the others keep serving.
for (const service of ready.services) {
  void service.exited.then((code) => {
    if (!stopping) output.launcher(`${service.name} (pid ${service.pid}) exited unexpectedly with ${code}`, 'error');
  });
}
