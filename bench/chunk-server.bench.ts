/**
 * Segment throughput of one chunk server against nginx serving the same files, same load, same run.
 *
 *   npx tsx bench/chunk-server.bench.ts      (BENCH_SECONDS=10 BENCH_CONNECTIONS=32 BENCH_ROUNDS=3 by default)
 *
 * Writes docs/benchmarks/chunk-server.md. Needs ffmpeg (to make the asset) and nginx; wrk is used when installed.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { DEVELOPMENT_STREAM_KEY, signStreamToken, type ReadyMessage } from '@cinema/kit';
import { readAssetManifest } from '../chunk-server/src/media/asset-manifest.js';
import { generateDemoAssets } from '../chunk-server/src/media/demo-assets.js';
import { findFfmpegTools } from '../chunk-server/src/media/ffmpeg-tools.js';
import { repoRoot } from '../chunk-server/src/media-root.js';
import { runLoad, type LoadResult } from './chunk-server-load.js';
import { startNginx, type NginxInstance } from './chunk-server-nginx.js';
import { writeChunkServerReport } from './chunk-server-report.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const warmupSeconds = Math.min(3, seconds);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);
const roundCount = Number(process.env.BENCH_ROUNDS ?? 3);
const mediaRoot = path.join(repoRoot, '.data', 'bench', 'media');
const assetId = 'demo-1';
const log = (line: string) => console.log(`[bench] ${line}`);
type ServerName = 'chunkServer' | 'nginx';

const tools = await findFfmpegTools();
log(`preparing a 20 s demo asset in ${mediaRoot} (reused when present)`);
await generateDemoAssets({
  mediaRoot,
  count: 1,
  durationSeconds: 20,
  tools,
  onProgress: (event) => 'fraction' in event && event.fraction === 1 && log(`  ${event.assetId}: ${event.stage} done`),
});
const manifest = await readAssetManifest(path.join(mediaRoot, assetId));
const segments = manifest.renditions.flatMap((rendition) => rendition.segments.map((segment) => `${rendition.name}/${segment.file}`));
const meanSegmentBytes = segments.reduce((sum, file) => sum + (manifest.files[file]?.size ?? 0), 0) / segments.length;
log(`${segments.length} segments, ${(meanSegmentBytes / 1024).toFixed(0)} KiB on average`);

const token = signStreamToken(DEVELOPMENT_STREAM_KEY, { assetId, userId: 'bench', expiresAt: new Date(Date.now() + 3600_000) });
const chunkPaths = segments.map((file) => `/s/${token}/${assetId}/${file}`);
const nginxPaths = segments.map((file) => `/${assetId}/${file}`);

let chunkServer: ChildProcess | undefined;
let nginx: NginxInstance | undefined;
try {
  log('starting the chunk server (chunk-server/src/index.ts, one process)');
  const started = await startChunkServerProcess();
  chunkServer = started.child;
  nginx = await startNginx({ root: mediaRoot, port: await freePort() });
  log(`nginx ${nginxVersion()} pid ${nginx.pid} on ${nginx.baseUrl} (1 worker, sendfile)`);
  await assertSameBytes(`${started.url}${chunkPaths[0]}`, `${nginx.baseUrl}${nginxPaths[0]}`);

  // Rounds alternate the two servers so that background load on a shared machine hits both alike.
  const rounds: Array<Record<ServerName, LoadResult>> = [];
  const loadBefore = os.loadavg()[0] ?? 0;
  for (let round = 1; round <= roundCount; round += 1) {
    const results = {} as Record<ServerName, LoadResult>;
    for (const [name, baseUrl, paths] of [
      ['chunkServer', started.url, chunkPaths],
      ['nginx', nginx.baseUrl, nginxPaths],
    ] as const) {
      log(`round ${round}/${roundCount} ${name}: warm-up ${warmupSeconds} s, then ${seconds} s with ${connections} connections`);
      await runLoad({ baseUrl, paths, connections, durationSeconds: warmupSeconds });
      const result = await runLoad({ baseUrl, paths, connections, durationSeconds: seconds });
      results[name] = result;
      log(`  ${result.requestsPerSecond.toFixed(0)} req/s, ${result.megabytesPerSecond.toFixed(1)} MB/s, p99 ${result.latencyP99Ms.toFixed(1)} ms, errors ${result.errors}`);
      if (result.errors > 0) throw new Error(`${name} returned ${result.errors} errors under load: the numbers would be meaningless`);
    }
    rounds.push(results);
  }

  const mean = (name: ServerName) => rounds.reduce((sum, round) => sum + round[name].requestsPerSecond, 0) / rounds.length;
  const ratio = mean('chunkServer') / mean('nginx');
  log(`ratio chunk server / nginx (mean requests/s over ${roundCount} rounds): ${ratio.toFixed(2)}`);
  const file = await writeChunkServerReport({
    date: new Date(),
    machine: { ...machineInfo(), 'Load average (1 min) before / after': `${loadBefore.toFixed(2)} / ${(os.loadavg()[0] ?? 0).toFixed(2)}` },
    connections,
    seconds,
    segments: segments.length,
    meanSegmentBytes,
    rounds,
    ratio,
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

async function startChunkServerProcess(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'chunk-server', 'src', 'index.ts')], {
    env: { ...process.env, PORT: '0', MEDIA_ROOT: mediaRoot, LOG_LEVEL: 'error', NODE_ENV: 'development', STREAM_KEYS: '' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await new Promise<ReadyMessage>((resolve, reject) => {
    child.once('message', (message) => resolve(message as ReadyMessage));
    child.once('exit', (code) => reject(new Error(`chunk server exited with ${code}`)));
  });
  log(`chunk server pid ${child.pid} on ${ready.url}`);
  return { child, url: ready.url };
}

async function assertSameBytes(a: string, b: string): Promise<void> {
  const digest = async (url: string) => {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${url} answered ${response.status}`);
    return createHash('sha256').update(Buffer.from(await response.arrayBuffer())).digest('hex');
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
