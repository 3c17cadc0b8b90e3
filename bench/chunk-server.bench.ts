/**
 * Throughput of the chunk server against nginx serving the same files, same load, same run, measured separately for
 * each kind of request a player makes: the master playlist, the media playlists, and the segments of each
 * rendition (their sizes differ tenfold, and so do the servers' costs per request).
 *
 *   npx tsx bench/chunk-server.bench.ts
 *   (BENCH_SECONDS=8 BENCH_CONNECTIONS=32 BENCH_ROUNDS=2 BENCH_WORKERS=<cores> by default)
 *
 * Equal cores on both sides: the chunk server runs BENCH_WORKERS processes (CHUNK_SERVER_WORKERS, node:cluster)
 * and nginx as many workers (worker_processes). Writes docs/benchmarks/chunk-server.md. Needs ffmpeg (to make the
 * asset) and nginx; wrk is used when installed.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { ReadyMessage } from '@cinema/kit/process';
import { builtEntryOf } from '@cinema/kit/service-process';
import { signStreamToken, type StreamKey } from '@cinema/kit/stream-token';
import { buildServices } from '../launcher/src/build-services.js';
import { readAssetManifest } from '../chunk-server/src/media/asset-manifest.js';
import { generateDemoAssets } from '../chunk-server/src/media/demo-assets.js';
import { findFfmpegTools } from '../chunk-server/src/media/ffmpeg-tools.js';
import { repoRoot } from '../chunk-server/src/media-root.js';
import { runLoad, type LoadResult } from './chunk-server-load.js';
import { startNginx, type NginxInstance } from './chunk-server-nginx.js';
import { readMachineCpuMs, readProcessTreeCpuMs } from './process-usage.js';
import { writeChunkServerReport, type Measurement, type RequestClass } from './chunk-server-report.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 8);
const warmupSeconds = Math.min(2, seconds);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);
const roundCount = Number(process.env.BENCH_ROUNDS ?? 2);
const workers = Number(process.env.BENCH_WORKERS ?? os.availableParallelism());
const mediaRoot = path.join(repoRoot, '.data', 'bench', 'media-720p');
const assetId = 'demo-1';
const log = (line: string) => console.log(`[bench] ${line}`);
type ServerName = 'chunkServer' | 'nginx';
/** Above this share of the machine's CPU taken by other processes during a measurement, no target is judged. */
const OTHER_WORK_LIMIT = 0.2;

const tools = await findFfmpegTools();
log(`preparing a 20 s demo asset (240p, 480p, 720p) in ${mediaRoot} (reused when present)`);
await generateDemoAssets({
  mediaRoot,
  count: 1,
  durationSeconds: 20,
  // The production ladder's preset, so that segment sizes are what an ingested film gets.
  preset: 'veryfast',
  tools,
  onProgress: (event) => 'fraction' in event && event.fraction === 1 && log(`  ${event.assetId}: ${event.stage} done`),
});
const manifest = await readAssetManifest(path.join(mediaRoot, assetId));
const sizeOf = (file: string) => manifest.files[file]?.size ?? 0;
const mean = (files: string[]) => files.reduce((sum, file) => sum + sizeOf(file), 0) / files.length;
const classes: Array<{ name: string; files: string[] }> = [
  { name: 'master playlist', files: ['master.m3u8'] },
  { name: 'media playlists', files: manifest.renditions.map((rendition) => `${rendition.name}/index.m3u8`) },
  ...manifest.renditions.map((rendition) => ({
    name: `${rendition.name} segments`,
    files: rendition.segments.map((segment) => `${rendition.name}/${segment.file}`),
  })),
];
for (const entry of classes) log(`${entry.name}: ${entry.files.length} file(s), ${(mean(entry.files) / 1024).toFixed(1)} KiB on average`);

// Production mode, as deployed: a real key (the development one is refused there), the built JavaScript.
const streamKey: StreamKey = { kid: 'bench', secret: randomBytes(32).toString('hex') };
const chunkServerEntry = path.join(repoRoot, 'chunk-server', 'src', 'index.ts');
log('building the chunk server (npm run build does the same)');
await buildServices([path.relative(repoRoot, chunkServerEntry)]);
const token = signStreamToken(streamKey, { assetId, userId: 'bench', expiresAt: new Date(Date.now() + 3600_000) });
const chunkPath = (file: string) => `/s/${token}/${assetId}/${file}`;
const nginxPath = (file: string) => `/${assetId}/${file}`;

let chunkServer: ChildProcess | undefined;
let nginx: NginxInstance | undefined;
try {
  log(`starting the chunk server (chunk-server/src/index.ts, ${workers} process(es))`);
  const started = await startChunkServerProcess(workers);
  chunkServer = started.child;
  nginx = await startNginx({ root: mediaRoot, port: await freePort(), workers });
  log(`nginx ${nginxVersion()} pid ${nginx.pid} on ${nginx.baseUrl} (${workers} worker(s), sendfile)`);
  const segment = classes[classes.length - 1]!.files[0]!;
  await assertSameBytes(`${started.url}${chunkPath(segment)}`, `${nginx.baseUrl}${nginxPath(segment)}`);

  // Rounds alternate the two servers, class by class, so that background load on a shared machine hits both alike.
  const results: RequestClass[] = classes.map((entry) => ({ name: entry.name, files: entry.files.length, meanBytes: mean(entry.files), rounds: [] }));
  const loadBefore = os.loadavg()[0] ?? 0;
  for (let round = 1; round <= roundCount; round += 1) {
    for (const [index, entry] of classes.entries()) {
      const measured = {} as Record<ServerName, Measurement>;
      for (const [name, baseUrl, paths, serverPid] of [
        ['chunkServer', started.url, entry.files.map(chunkPath), chunkServer.pid!],
        ['nginx', nginx.baseUrl, entry.files.map(nginxPath), nginx.pid],
      ] as const) {
        await runLoad({ baseUrl, paths, connections, durationSeconds: warmupSeconds });
        const result = await measure(serverPid, () => runLoad({ baseUrl, paths, connections, durationSeconds: seconds }));
        measured[name] = result;
        log(
          `round ${round}/${roundCount} ${entry.name} ${name}: ${result.requestsPerSecond.toFixed(0)} req/s, ${result.megabytesPerSecond.toFixed(1)} MB/s, ` +
            `p99 ${result.latencyP99Ms.toFixed(1)} ms, ${result.serverCpuUsPerRequest.toFixed(0)} µs CPU/request, other work ${(result.otherWorkShare * 100).toFixed(0)} % of the CPU, errors ${result.errors}`,
        );
        if (result.errors > 0) throw new Error(`${name} returned ${result.errors} errors under load: the numbers would be meaningless`);
      }
      results[index]!.rounds.push(measured);
    }
  }

  // The load average counts the benchmark's own processes (two servers' workers and wrk's threads easily make 4 on 2
  // cores), so it cannot tell a quiet machine from a busy one; the CPU other processes used during the measurements can.
  const busiestOther = Math.max(
    ...results.flatMap((entry) => entry.rounds.flatMap((measuredRound) => Object.values(measuredRound).map((m) => m.otherWorkShare))),
  );
  const unreliable =
    busiestOther > OTHER_WORK_LIMIT
      ? `Other work on the machine used up to ${(busiestOther * 100).toFixed(0)} % of its CPU during a measurement (the limit is ` +
        `${OTHER_WORK_LIMIT * 100} %), so the servers and wrk were starved unevenly from one measurement to the next and the req/s ratios ` +
        `say little about the servers; CPU per request (which does not depend on how much CPU was left) still compares them. ` +
        `No target is judged; run it again on a quiet machine.`
      : undefined;
  if (unreliable) log(unreliable);
  const file = await writeChunkServerReport({
    ...(unreliable ? { unreliable } : {}),
    date: new Date(),
    machine: { ...machineInfo(), 'Load average (1 min) before / after': `${loadBefore.toFixed(2)} / ${(os.loadavg()[0] ?? 0).toFixed(2)}` },
    connections,
    seconds,
    workers,
    otherWorkLimit: OTHER_WORK_LIMIT,
    classes: results,
  });
  log(`wrote ${path.relative(process.cwd(), file)}`);
} finally {
  if (chunkServer?.pid && chunkServer.exitCode === null) {
    const exited = new Promise((resolve) => chunkServer!.once('exit', resolve));
    process.kill(chunkServer.pid, 'SIGTERM');
    await exited;
  }
  await nginx?.stop();
}

async function startChunkServerProcess(processes: number): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, [builtEntryOf(chunkServerEntry)], {
    env: {
      ...process.env,
      PORT: String(port),
      MEDIA_ROOT: mediaRoot,
      LOG_LEVEL: 'error',
      NODE_ENV: 'production',
      STREAM_KEYS: `${streamKey.kid}:${streamKey.secret}`,
      CHUNK_SERVER_WORKERS: String(processes),
      // As deployed: a second replica exists, so master playlists are rendered per request with redundant streams.
      // The peer is only named in the playlist, never contacted.
      CHUNK_SERVER_PEERS: `http://127.0.0.1:${port},http://127.0.0.2:${port}`,
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await new Promise<ReadyMessage>((resolve, reject) => {
    child.once('message', (message) => resolve(message as ReadyMessage));
    child.once('exit', (code) => reject(new Error(`chunk server exited with ${code}`)));
  });
  log(`chunk server pid ${child.pid} on ${ready.url}`);
  return { child, url: ready.url };
}

/**
 * Runs one measurement and adds what the server's processes (the chunk server's primary and workers, or nginx's master
 * and workers) spent in CPU per request, and the share of the machine's CPU that processes outside this benchmark
 * used meanwhile (what tells a quiet machine from a busy one).
 */
async function measure(serverPid: number, run: () => Promise<LoadResult>): Promise<Measurement> {
  const serverBefore = readProcessTreeCpuMs(serverPid);
  const ownBefore = readProcessTreeCpuMs(process.pid);
  const machineBefore = readMachineCpuMs();
  const result = await run();
  const serverMs = readProcessTreeCpuMs(serverPid) - serverBefore;
  const ownMs = readProcessTreeCpuMs(process.pid) - ownBefore;
  const machineAfter = readMachineCpuMs();
  const machineBusyMs = machineAfter.busyMs - machineBefore.busyMs;
  const machineTotalMs = machineAfter.totalMs - machineBefore.totalMs;
  return {
    ...result,
    serverCpuUsPerRequest: result.requests > 0 ? (serverMs * 1000) / result.requests : 0,
    otherWorkShare: machineTotalMs > 0 ? Math.max(0, machineBusyMs - ownMs) / machineTotalMs : 0,
  };
}

async function assertSameBytes(a: string, b: string): Promise<void> {
  const digest = async (url: string) => {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${url} answered ${response.status}`);
    return createHash('sha256')
      .update(Buffer.from(await response.arrayBuffer()))
      .digest('hex');
  };
  if ((await digest(a)) !== (await digest(b))) throw new Error('chunk server and nginx serve different bytes');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function nginxVersion(): string {
  return /nginx\/([\d.]+)/.exec(spawnSync('nginx', ['-v'], { encoding: 'utf8' }).stderr)?.[1] ?? 'unknown';
}

function machineInfo(): Record<string, string> {
  const cpus = os.cpus();
  const wrk = spawnSync('wrk', ['--version'], { encoding: 'utf8' });
  return {
    CPU: `${cpus[0]?.model ?? 'unknown'} × ${cpus.length}`,
    Memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    OS: `${os.type()} ${os.release()} (${os.arch()})`,
    Node: process.version,
    nginx: nginxVersion(),
    'Load generator': wrk.error ? 'node http (wrk not installed)' : (/wrk [^\s]+/.exec(`${wrk.stdout}${wrk.stderr}`)?.[0] ?? 'wrk'),
  };
}
