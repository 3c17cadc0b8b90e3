import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createLogger } from '@cinema/kit/logging';
import { startServiceProcess, type ServiceProcess } from '@cinema/kit/service-process';
import { DEVELOPMENT_STREAM_KEY, signStreamToken } from '@cinema/kit/stream-token';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ChunkServerPool } from '../../subgraphs/movies/src/chunk-server-pool.js';
import { startHlsPlayerPage, type HlsPlayerPage } from '../../test/support/hls-player-page.js';
import { ensureSmallDemoMedia } from '../../test/support/small-demo-media.js';
import { repoRoot } from '../src/media-root.js';
import { reservePorts } from '../../launcher/src/reserve-port.js';
import { ffmpegForTests } from './support/ffmpeg-availability.js';
import { setTimeout as sleep } from 'node:timers/promises';

const run = promisify(execFile);
const tools = await ffmpegForTests();
const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium && process.env.CI) throw new Error(`Chromium is required in CI at ${CHROMIUM} (apt-get install chromium)`);
const entry = fileURLToPath(new URL('../src/index.ts', import.meta.url));

interface Variant {
  readonly attributes: string;
  readonly uri: string;
}

/** The EXT-X-STREAM-INF entries of a master playlist, URIs resolved against its URL. */
function parseMaster(text: string, base: string): Variant[] {
  return [...text.matchAll(/#EXT-X-STREAM-INF:([^\n]+)\n([^\n]+)/g)].map((match) => ({ attributes: match[1]!, uri: new URL(match[2]!, base).href }));
}

function bandwidthOf(variant: Variant): number {
  return Number(/(?:^|,)BANDWIDTH=(\d+)/.exec(variant.attributes)?.[1] ?? 0);
}

/**
 * Two real chunk server processes serving the same small media, each told both public URLs (as `npm start` does),
 * with URLs signed the way the movies service signs them. Every test kills or loads one of them; afterEach brings
 * a fresh pair back so tests do not depend on each other.
 */
describe.skipIf(!tools)('two chunk server replicas: failover during playback, and load-aware choice', () => {
  // Its own folder: test/e2e/streaming.e2e.ts may run at the same time and makes the same assets in another.
  const mediaRoot = path.join(repoRoot, '.data', 'test-failover', 'media');
  let servers: ServiceProcess[] = [];

  async function startPair(): Promise<void> {
    const ports = await reservePorts(2);
    const peers = ports.map((port) => `http://127.0.0.1:${port}`).join(',');
    servers = await Promise.all(
      ports.map((port) =>
        startServiceProcess({
          name: 'chunk-server',
          entry,
          env: { ...process.env, PORT: String(port), MEDIA_ROOT: mediaRoot, CHUNK_SERVER_PEERS: peers, LOG_LEVEL: 'warn', STREAM_KEYS: '' },
          // Generous: a shared two-core machine can take long to load TypeScript in two processes at once.
          readyTimeoutMs: 120_000,
          stdio: 'ignore',
        }),
      ),
    );
  }

  beforeAll(async () => {
    // Small, 60 s assets, made once under .data/ and reused by later runs.
    await ensureSmallDemoMedia(mediaRoot, 2);
    await startPair();
  }, 600_000);

  afterEach(async () => {
    if (servers.every((server) => server.child.exitCode === null && server.child.signalCode === null)) return;
    await Promise.all(servers.map((server) => server.stop(1_000)));
    await startPair();
  }, 180_000);

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop(1_000)));
  });

  /** What `Movie.stream.url` would be for this viewer and asset on this server (see subgraphs/movies StreamLinks). */
  function streamUrlOn(server: ServiceProcess, assetId = 'demo-1', userId = 'viewer-1'): string {
    const token = signStreamToken(DEVELOPMENT_STREAM_KEY, { assetId, userId, expiresAt: new Date(Date.now() + 3600_000) });
    return `${server.url}/s/${token}/${assetId}/master.m3u8`;
  }

  /** Kills a chunk server with SIGKILL, by the PID this test started it with, and waits until it is gone. */
  async function killHard(server: ServiceProcess): Promise<void> {
    process.kill(server.pid, 'SIGKILL');
    await server.exited;
  }

  it("a viewer's whole session survives its chunk server's death mid-film and decodes without an error", async () => {
    const victim = servers[0]!;
    const url = streamUrlOn(victim);
    const master = parseMaster(await (await fetch(url)).text(), url);
    // A viewer at the top rendition: its entries on every replica, primary first, as a player would try them.
    const top = master.reduce((best, variant) => (bandwidthOf(variant) > bandwidthOf(best) ? variant : best));
    const sources = master.filter((variant) => variant.attributes === top.attributes).map((variant) => variant.uri);
    expect(sources).toHaveLength(2);
    const playlist = await (await fetch(sources[0]!)).text();
    const segments = [...playlist.matchAll(/^(seg_\d+\.m4s)$/gm)].map((match) => match[1]!);
    expect(segments.length).toBeGreaterThanOrEqual(20);

    const workDir = await mkdtemp(path.join(tmpdir(), 'viewer-session-'));
    try {
      let current = 0;
      const servedBy: string[] = [];
      const fetchFile = async (file: string): Promise<Buffer> => {
        for (; current < sources.length; current++) {
          const response = await fetch(new URL(file, sources[current])).catch(() => undefined);
          if (response?.ok) {
            servedBy.push(new URL(sources[current]!).origin);
            return Buffer.from(await response.arrayBuffer());
          }
        }
        throw new Error(`no replica could serve ${file}`);
      };
      const parts = [await fetchFile('init.mp4')];
      const killAt = Math.floor(segments.length / 2);
      for (const [index, segment] of segments.entries()) {
        if (index === killAt) await killHard(victim);
        parts.push(await fetchFile(segment));
      }
      // The first half came from the server that handed out the URL, the rest from the other replica.
      expect(servedBy.slice(0, killAt + 1).every((origin) => origin === victim.url)).toBe(true);
      expect(servedBy.slice(killAt + 1).every((origin) => origin !== victim.url)).toBe(true);
      // The backup's media playlist is the same list of segments, so a player resumes at the same position.
      expect(await (await fetch(sources[1]!)).text()).toBe(playlist);

      const session = path.join(workDir, 'session.mp4');
      await writeFile(session, Buffer.concat(parts));
      const decode = await run('ffmpeg', ['-v', 'error', '-i', session, '-map', '0', '-f', 'null', '-'], { timeout: 120_000 });
      expect(decode.stderr.trim()).toBe('');
      const probe = await run('ffprobe', ['-v', 'error', '-show_entries', 'format=duration:stream=codec_type', '-of', 'json', session]);
      const described = JSON.parse(probe.stdout) as { format: { duration: string }; streams: { codec_type: string }[] };
      expect(described.streams.map((stream) => stream.codec_type).sort()).toEqual(['audio', 'video']);
      expect(Number(described.format.duration)).toBeGreaterThan(55);
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  }, 300_000);

  it('sends new viewers to the other chunk server while one is overloaded, and back to the owner when the load ends', async () => {
    // The movies service's own pool (production class), probing the two real servers every 200 ms.
    const pool = new ChunkServerPool({
      urls: servers.map((server) => server.url),
      balanceFactor: 0.25,
      assignmentWindowMs: 10_000,
      healthIntervalMs: 200,
      healthTimeoutMs: 1_000,
      logger: createLogger('test', 'silent'),
    });
    pool.start();
    const assetId = 'demo-2';
    const owner = pool.home(assetId)!;
    const other = servers.map((server) => server.url).find((url) => url !== owner)!;
    const [, , grant] = new URL(streamUrlOn(servers[0]!, assetId)).pathname.split('/');
    const stateOf = (url: string) => pool.states().find((state) => state.url === url);
    const activeResponses = async (base: string) =>
      ((await (await fetch(`${base}/health`)).json()) as { load: { activeResponses: number } }).load.activeResponses;

    // 60 viewers who ask for the whole progressive file (≈ 11 MB) and then stop reading: each holds a response
    // open under backpressure, which is exactly what a crowd on slow connections costs a server.
    const slowClients: net.Socket[] = [];
    const { port } = new URL(owner);
    try {
      for (let i = 0; i < 60; i++) {
        const socket = net.connect(Number(port), '127.0.0.1');
        socket.on('error', () => undefined);
        socket.write(`GET /s/${grant}/${assetId}/movie.mp4 HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
        socket.once('data', () => socket.pause());
        slowClients.push(socket);
      }
      await expect.poll(() => activeResponses(owner), { timeout: 20_000, interval: 100 }).toBeGreaterThanOrEqual(50);

      // Waits for the pool's own probe to have seen the overload (not merely for the first `other`: the ring also
      // spreads the URLs it hands out itself, so before that probe a few assignments alternate between the two
      // replicas by design), with both replicas healthy (a replica that misses a probe gets nothing, rightly). The
      // picks are made in the same synchronous step as that check, so no probe can land in between. Health checks
      // run every 200 ms here; 10 s covers many of them on a loaded machine.
      const whileOverloaded = await vi.waitFor(
        () => {
          expect(stateOf(owner)?.healthy).toBe(true);
          expect(stateOf(owner)?.reported?.activeResponses).toBeGreaterThanOrEqual(50);
          expect(stateOf(other)?.healthy).toBe(true);
          return Array.from({ length: 5 }, () => pool.assign(assetId));
        },
        { timeout: 10_000, interval: 100 },
      );
      expect(whileOverloaded).toEqual(Array(5).fill(other));

      for (const socket of slowClients) socket.destroy();
      await expect.poll(() => activeResponses(owner), { timeout: 20_000, interval: 100 }).toBe(0);
      // Likewise once the pool has seen the load end (a long poll of `assign` alone could also reach the owner by
      // piling its own assignments onto the other replica, which would prove nothing).
      const afterLoad = await vi.waitFor(
        () => {
          expect(stateOf(owner)?.healthy).toBe(true);
          expect(stateOf(owner)?.reported?.activeResponses).toBe(0);
          return pool.assign(assetId);
        },
        { timeout: 10_000, interval: 100 },
      );
      expect(afterLoad).toBe(owner);
    } finally {
      for (const socket of slowClients) socket.destroy();
      pool.stop();
    }
  }, 120_000);

  describe.skipIf(!hasChromium)('in Chromium with hls.js on its default settings', () => {
    let browser: Browser;
    let page: HlsPlayerPage;

    beforeAll(async () => {
      page = await startHlsPlayerPage();
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
      });
    });
    afterAll(async () => {
      await browser?.close();
      await page?.close();
    });

    it('keeps playing, without starting over, after kill -9 of the chunk server serving the movie', async () => {
      const victim = servers[1]!;
      const url = streamUrlOn(victim);
      const tab = await browser.newPage();
      try {
        await tab.goto(page.url);
        // A network's pace: each segment request waits 300 ms, so 2 s segments arrive at about six times real time.
        // On loopback hls.js (whose default buffer is bounded by 60 MB, far more than this small film) would otherwise
        // hold the whole film within a second, and a server killed afterwards would not be needed at all.
        await tab.route('**/*.m4s', async (route) => {
          await sleep(300);
          await route.continue().catch(() => undefined);
        });
        interface VideoState {
          currentTime: number;
          buffered: number;
          paused: boolean;
          ended: boolean;
        }
        // Evaluated in the page (strings, since this file is type-checked without the DOM library).
        const video = () =>
          tab.evaluate<VideoState>(`(() => {
            const element = document.querySelector('video');
            const buffered = element.buffered.length > 0 ? element.buffered.end(element.buffered.length - 1) : 0;
            return { currentTime: element.currentTime, buffered, paused: element.paused, ended: element.ended };
          })()`);
        expect(await tab.evaluate(`window.play(${JSON.stringify(url)})`)).toBe('playing');
        await expect.poll(async () => (await video()).currentTime, { timeout: 30_000 }).toBeGreaterThan(2);

        const atKill = await video();
        await killHard(victim);
        // Playing on past everything that was buffered when the server died means segments came from the other
        // replica; 60 s of film and hls.js's 30 s buffer bound how long this takes, whatever the machine's load.
        await expect.poll(async () => (await video()).currentTime, { timeout: 90_000, interval: 500 }).toBeGreaterThan(atKill.buffered + 2);
        const after = await video();
        expect(after.currentTime).toBeGreaterThan(atKill.currentTime);
        expect(after.ended).toBe(false);
        const player = await tab.evaluate<{ errors: { details: string; fatal: boolean }[]; fragmentsFrom: string[] }>(
          '({ errors: window.player.errors, fragmentsFrom: window.player.fragmentsFrom })',
        );
        expect(player.errors.filter((error) => error.fatal)).toEqual([]);
        expect(player.fragmentsFrom).toContain(victim.url);
        expect(player.fragmentsFrom.some((origin) => origin !== victim.url)).toBe(true);
      } finally {
        await tab.close();
      }
    }, 180_000);
  });
});
