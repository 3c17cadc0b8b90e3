import { loadConfigOrExit } from '@cinema/kit';
import { loadLauncherConfig } from './config.js';
import { prepareRunMode } from './run-mode.js';
import { startPlatform, type RunningPlatform } from './start-platform.js';

const log = (line: string) => console.log(`[launcher] ${line}`);
const config = loadConfigOrExit(() => loadLauncherConfig());
const startedAt = Date.now();

let platform: RunningPlatform | undefined;
let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  log(`${signal}: stopping every process`);
  await platform?.stop();
  log('stopped');
  process.exit(0);
};
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
// `kill <npm pid>` ends npm without passing the signal on; we notice by being re-parented, and stop cleanly.
const parentPid = process.ppid;
setInterval(() => {
  if (process.ppid !== parentPid) void shutdown('parent process exited');
}, 500).unref();

try {
  log(await prepareRunMode(process.env));
  platform = await startPlatform(config, log);
} catch (error) {
  console.error(`[launcher] start failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
if (stopping) await new Promise(() => undefined);

const elapsed = ((Date.now() - startedAt) / 1000).toFixed(1);
console.log(`
  Movie graph ready in ${elapsed}s

  GraphQL endpoint   ${platform.routerUrl}
  Router health      ${platform.routerUrl.replace(/\/graphql$/, '/health')}
  Database           ${platform.databaseUrl.replace(/:[^:@/]+@/, ':***@')}
  Services           ${platform.services.filter((s) => s.name !== 'router').map((s) => `${s.name} ${s.url}`).join('\n                     ')}

  A token for signed-in operations:  npm run token -- <user-id>
  Stop with Ctrl-C.
`);

// A service that dies on its own is reported; the others keep serving.
for (const service of platform.services) {
  void service.exited.then((code) => {
    if (!stopping) log(`${service.name} (pid ${service.pid}) exited unexpectedly with ${code}`);
  });
}
