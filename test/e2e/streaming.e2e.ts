import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { repoRoot } from '@cinema/db';
import { BoundedLoadRing, type ServiceProcess } from '@cinema/kit';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEVELOPMENT_JWT_SECRET } from '../../router/src/config.js';
import { signDevToken } from '../../router/src/dev-token.js';
import { errorCodes, graphql } from '../support/graphql-client.js';
import { startHlsPlayerPage, type HlsPlayerPage } from '../support/hls-player-page.js';
import { ensureSmallDemoMedia } from '../support/small-demo-media.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.js';

const run = promisify(execFile);
const hasFfmpeg = await run('ffmpeg', ['-version']).then(() => true, () => false);
if (!hasFfmpeg) {
  if (process.env.CI) throw new Error('ffmpeg is required in CI (apt-get install ffmpeg)');
  console.warn('\n*** ffmpeg not found: skipping the streaming end-to-end tests (apt-get install ffmpeg) ***\n');
}
const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium && process.env.CI) throw new Error(`Chromium is required in CI at ${CHROMIUM} (apt-get install chromium)`);

const STREAM = `query($id: ID!) { movie(id: $id) { id title stream { url expiresAt format } } }`;
const POSTER = `query($id: ID!) { movie(id: $id) { id posterUrl } }`;
/** How many demo assets the test platform gets (small ones, made by the test; see ensureSmallDemoMedia). */
const DEMO_VIDEOS = 2;

interface Variant {
  readonly attributes: string;
  readonly uri: string;
}

/** The EXT-X-STREAM-INF entries of a master playlist, URIs resolved against its URL. */
function parseMaster(text: string, base: string): Variant[] {
  return [...text.matchAll(/#EXT-X-STREAM-INF:([^\n]+)\n([^\n]+)/g)].map((match) => ({ attributes: match[1]!, uri: new URL(match[2]!, base).href }));
}

describe.skipIf(!hasFfmpeg)('movies obtained through the graph play from the chunk servers, through failures and load', () => {
  let database: TestDatabase;
  let platform: TestPlatform;
  let token: string;

  beforeAll(async () => {
    // Fast health checks so a dead or overloaded chunk server is noticed within a fraction of a second.
    process.env.CHUNK_HEALTH_INTERVAL_MS = '200';
    database = await createTestDatabase('e2e_stream');
    // Small demo media is made once under .data/ and reused by later runs; the database is fresh.
    const dataDir = path.join(repoRoot, '.data', 'test-streaming');
    await ensureSmallDemoMedia(path.join(dataDir, 'media'), DEMO_VIDEOS);
    platform = await startTestPlatform(database.url, { DATA_DIR: dataDir, REPLICAS: '2', DEMO_VIDEOS: String(DEMO_VIDEOS) });
    await platform.mediaReady;
    token = await signDevToken('viewer-1', DEVELOPMENT_JWT_SECRET);
  }, 600_000);

  afterAll(async () => {
    await platform?.stop();
    await database?.drop();
  });

  const chunkServers = () => platform.services.filter((s) => s.name === 'chunk-server');
  const serverAt = (url: string) => chunkServers().find((s) => s.url === new URL(url).origin)!;

  async function streamUrl(movieId: string): Promise<string> {
    const response = await graphql(platform.routerUrl, STREAM, { id: movieId }, token);
    expect(response.body.errors).toBeUndefined();
    const stream = response.body.data.movie.stream;
    expect(stream.format).toBe('HLS');
    expect(new Date(stream.expiresAt).getTime()).toBeGreaterThan(Date.now());
    return stream.url as string;
  }

  /** Kills a chunk server with SIGKILL (no goodbye to its viewers) and waits until the process is gone. */
  async function killHard(server: ServiceProcess): Promise<void> {
    process.kill(server.pid, 'SIGKILL');
    await server.exited;
  }

  /** Brings a killed chunk server back on its port, and waits until the movies service sees it healthy again. */
  async function revive(server: ServiceProcess): Promise<void> {
    const revived = await platform.restartService(server);
    for (let attempt = 0; attempt < 100; attempt++) {
      const response = await fetch(`${revived.url}/health`).catch(() => undefined);
      if (response?.ok) break;
      await sleep(100);
    }
    // Two health-check intervals of the movies service (200 ms here) for it to put the replica back in rotation.
    await sleep(600);
  }

  async function decodeEverything(url: string): Promise<void> {
    const probe = await run('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_type,height', '-of', 'json', url]);
    const streams = (JSON.parse(probe.stdout) as { streams: { codec_type: string; height?: number }[] }).streams;
    const heights = new Set(streams.filter((s) => s.codec_type === 'video').map((s) => s.height));
    expect(heights.size).toBeGreaterThanOrEqual(2);
    expect(streams.some((s) => s.codec_type === 'audio')).toBe(true);
    // Decode every segment of every rendition on every replica; a broken segment makes ffmpeg print an error.
    // No persistent HTTP: otherwise ffmpeg reports, at error level, each connection it cannot reuse for another replica.
    const decode = await run('ffmpeg', ['-v', 'error', '-http_persistent', '0', '-i', url, '-map', '0', '-f', 'null', '-'], { timeout: 300_000 });
    expect(decode.stderr.trim()).toBe('');
  }

  it('plays every rendition of the master playlist handed out by Movie.stream, which lists the other replica as a redundant stream', async () => {
    const url = await streamUrl('1');
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/s\/[^/]+\/demo-\d+\/master\.m3u8$/);
    const master = parseMaster(await (await fetch(url)).text(), url);
    const other = chunkServers().find((s) => s.url !== new URL(url).origin)!;
    const tokenPath = new URL(url).pathname.replace(/master\.m3u8$/, '');
    expect(master.length).toBe(4);
    expect(master.slice(0, 2).every((variant) => variant.uri.startsWith(new URL(url).origin))).toBe(true);
    expect(master.slice(2).map((variant) => variant.uri)).toEqual(master.slice(0, 2).map((variant) => variant.uri.replace(new URL(url).origin, other.url)));
    expect(master.slice(2).every((variant) => variant.uri.startsWith(`${other.url}${tokenPath}`))).toBe(true);
    expect(master.slice(2).map((variant) => variant.attributes)).toEqual(master.slice(0, 2).map((variant) => variant.attributes));
    await decodeEverything(url);
  });

  it('needs a signed-in user', async () => {
    const response = await graphql(platform.routerUrl, STREAM, { id: '1' });
    expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
    expect(response.body.data.movie.stream).toBeNull();
  });

  it('shows a still of the movie as the poster of a movie that has none of its own', async () => {
    const response = await graphql<{ movie: { posterUrl: string | null } }>(platform.routerUrl, POSTER, { id: '2' });
    const posterUrl = response.body.data?.movie.posterUrl;
    expect(posterUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/p\/demo-\d+\/poster\.jpg$/);
    const poster = await fetch(posterUrl!);
    expect(poster.status).toBe(200);
    expect(poster.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await poster.arrayBuffer()).subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
  });

  it('spreads movies over the chunk server replicas', async () => {
    const origins = new Map<string, number>();
    for (let id = 10; id < 30; id++) {
      const origin = new URL(await streamUrl(String(id))).origin;
      origins.set(origin, (origins.get(origin) ?? 0) + 1);
    }
    expect(origins.size).toBe(2);
    // Bounded loads: with ε = 0.25 neither replica takes much more than its share of 20 new viewers.
    for (const count of origins.values()) expect(count).toBeLessThanOrEqual(Math.ceil((1.25 * 20) / 2) + 1);
  });

  it("a viewer's whole session survives its chunk server's death mid-film and decodes without an error", async () => {
    const url = await streamUrl('3');
    const victim = serverAt(url);
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
          const response = await fetch(new URL(file, sources[current]!)).catch(() => undefined);
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
      await revive(victim);
    }
  }, 300_000);

  it('a player whose chunk server dies before it starts asks for a new URL and gets the other replica', async () => {
    const first = await streamUrl('3');
    const victim = serverAt(first);
    await killHard(victim);
    try {
      await expect(fetch(first)).rejects.toThrow();
      // Within a few health-check intervals the dead replica gets no new URLs.
      let second = first;
      for (let i = 0; i < 50 && new URL(second).origin === victim.url; i++) {
        await sleep(100);
        second = await streamUrl('3');
      }
      expect(new URL(second).origin).not.toBe(victim.url);
      // The token of the first URL opens the same asset on the surviving replica: it names no host.
      const survivor = chunkServers().find((s) => s.url !== victim.url)!;
      expect((await fetch(first.replace(victim.url, survivor.url))).status).toBe(200);
    } finally {
      await revive(victim);
    }
  }, 120_000);

  it('sends new viewers to the other chunk server while one is overloaded, and back to the owner when the load ends', async () => {
    const url = await streamUrl('5');
    const [, , grant, assetId] = new URL(url).pathname.split('/');
    const urls = chunkServers().map((s) => s.url);
    const owner = new BoundedLoadRing(urls).home(assetId!)!;
    const other = urls.find((u) => u !== owner)!;
    const activeResponses = async (base: string) => ((await (await fetch(`${base}/health`)).json()) as { load: { activeResponses: number } }).load.activeResponses;

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

      // Health checks run every 200 ms here; 10 s covers many of them on a loaded machine.
      await expect.poll(async () => new URL(await streamUrl('5')).origin, { timeout: 10_000, interval: 100 }).toBe(other);
      for (let i = 0; i < 5; i++) expect(new URL(await streamUrl('5')).origin).toBe(other);
    } finally {
      for (const socket of slowClients) socket.destroy();
    }
    await expect.poll(() => activeResponses(owner), { timeout: 20_000, interval: 100 }).toBe(0);
    await expect.poll(async () => new URL(await streamUrl('5')).origin, { timeout: 10_000, interval: 200 }).toBe(owner);
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
      const url = await streamUrl('7');
      const victim = serverAt(url);
      const tab = await browser.newPage();
      try {
        await tab.goto(page.url);
        interface VideoState {
          currentTime: number;
          buffered: number;
          paused: boolean;
          ended: boolean;
        }
        // Evaluated in the page (strings, since this file is type-checked without the DOM library).
        const video = () =>
          tab.evaluate(`(() => {
            const element = document.querySelector('video');
            const buffered = element.buffered.length > 0 ? element.buffered.end(element.buffered.length - 1) : 0;
            return { currentTime: element.currentTime, buffered, paused: element.paused, ended: element.ended };
          })()`) as Promise<VideoState>;
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
        const player = (await tab.evaluate('({ errors: window.player.errors, fragmentsFrom: window.player.fragmentsFrom })')) as {
          errors: { details: string; fatal: boolean }[];
          fragmentsFrom: string[];
        };
        expect(player.errors.filter((error) => error.fatal)).toEqual([]);
        expect(player.fragmentsFrom).toContain(victim.url);
        expect(player.fragmentsFrom.some((origin) => origin !== victim.url)).toBe(true);
      } finally {
        await tab.close();
        await revive(victim);
      }
    }, 180_000);
  });
});

function bandwidthOf(variant: Variant): number {
  return Number(/(?:^|,)BANDWIDTH=(\d+)/.exec(variant.attributes)?.[1] ?? 0);
}
