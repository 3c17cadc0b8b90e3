import { execFile } from 'node:child_process';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import pg from 'pg';
import { repoRoot } from '@cinema/data-tools';
import type { ServiceProcess } from '@cinema/kit/service-process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEVELOPMENT_JWT_SECRET } from '../../router/src/config.js';
import { signDevToken } from '../../router/src/dev-token.js';
import { errorCodes, graphql } from '../support/graphql-client.js';
import { ensureSmallDemoMedia } from '../support/small-demo-media.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.js';

const run = promisify(execFile);
const hasFfmpeg = await run('ffmpeg', ['-version']).then(
  () => true,
  () => false,
);
if (!hasFfmpeg) {
  if (process.env.CI) throw new Error('ffmpeg is required in CI (apt-get install ffmpeg)');
  console.warn('\n*** ffmpeg not found: skipping the streaming end-to-end tests (apt-get install ffmpeg) ***\n');
}

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

// Failover during playback (hls.js in Chromium, a whole session through ffmpeg) and load-aware choice on real
// overload are checked on two chunk server processes in chunk-server/test/failover-and-load.e2e.ts.
describe.skipIf(!hasFfmpeg)('movies obtained through the graph play from the chunk servers', () => {
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
    // A movie the seed gave no poster of its own, read from the catalogue itself (the graph answers with the fallback).
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const { rows } = await client
      .query<{ id: string }>('select id::text as id from movies.movies where poster_url is null order by id limit 1')
      .finally(() => client.end());
    expect(rows).toHaveLength(1);
    const response = await graphql<{ movie: { posterUrl: string | null } }>(platform.routerUrl, POSTER, { id: rows[0]!.id });
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
});
