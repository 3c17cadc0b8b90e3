import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '@cinema/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEVELOPMENT_JWT_SECRET } from '../../router/src/config.js';
import { signDevToken } from '../../router/src/dev-token.js';
import { errorCodes, graphql } from '../support/graphql-client.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.js';

const run = promisify(execFile);
const hasFfmpeg = await run('ffmpeg', ['-version']).then(() => true, () => false);
if (!hasFfmpeg) {
  if (process.env.CI) throw new Error('ffmpeg is required in CI (apt-get install ffmpeg)');
  console.warn('\n*** ffmpeg not found: skipping the streaming end-to-end tests (apt-get install ffmpeg) ***\n');
}

const STREAM = `query($id: ID!) { movie(id: $id) { id title stream { url expiresAt format } } }`;

describe.skipIf(!hasFfmpeg)('a movie obtained through the graph plays from a chunk server', () => {
  let database: TestDatabase;
  let platform: TestPlatform;
  let token: string;

  beforeAll(async () => {
    // Fast health checks so a dead chunk server leaves rotation within a fraction of a second.
    process.env.CHUNK_HEALTH_INTERVAL_MS = '200';
    database = await createTestDatabase('e2e_stream');
    // Demo media is kept under .data/test so repeated runs reuse it; the database is fresh.
    platform = await startTestPlatform(database.url, { DATA_DIR: path.join(repoRoot, '.data', 'test'), REPLICAS: '2' });
    await platform.mediaReady;
    token = await signDevToken('viewer-1', DEVELOPMENT_JWT_SECRET);
  });

  afterAll(async () => {
    await platform?.stop();
    await database?.drop();
  });

  async function streamUrl(movieId: string): Promise<string> {
    const response = await graphql(platform.routerUrl, STREAM, { id: movieId }, token);
    expect(response.body.errors).toBeUndefined();
    const stream = response.body.data.movie.stream;
    expect(stream.format).toBe('HLS');
    expect(new Date(stream.expiresAt).getTime()).toBeGreaterThan(Date.now());
    return stream.url as string;
  }

  async function decodeEverything(url: string): Promise<void> {
    const probe = await run('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_type,height', '-of', 'json', url]);
    const streams = (JSON.parse(probe.stdout) as { streams: { codec_type: string; height?: number }[] }).streams;
    const heights = new Set(streams.filter((s) => s.codec_type === 'video').map((s) => s.height));
    expect(heights.size).toBeGreaterThanOrEqual(2);
    // Decode every segment of every rendition; any broken segment makes ffmpeg print an error or exit non-zero.
    const decode = await run('ffmpeg', ['-v', 'error', '-i', url, '-map', '0', '-f', 'null', '-'], { timeout: 120_000 });
    expect(decode.stderr.trim()).toBe('');
  }

  it('plays every rendition of the master playlist handed out by Movie.stream', async () => {
    const url = await streamUrl('1');
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/s\/[^/]+\/demo-\d+\/master\.m3u8$/);
    await decodeEverything(url);
  });

  it('needs a signed-in user', async () => {
    const response = await graphql(platform.routerUrl, STREAM, { id: '1' });
    expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
    expect(response.body.data.movie.stream).toBeNull();
  });

  it('spreads movies over the chunk server replicas', async () => {
    const origins = new Map<string, number>();
    for (let id = 10; id < 30; id++) {
      const origin = new URL(await streamUrl(String(id))).origin;
      origins.set(origin, (origins.get(origin) ?? 0) + 1);
    }
    expect(origins.size).toBe(2);
    // Bounded loads: with ε = 0.25 neither replica takes much more than its share of 20 new viewers.
    for (const count of origins.values()) expect(count).toBeLessThanOrEqual(Math.ceil(1.25 * 20 / 2) + 1);
  });

  it('a player whose chunk server dies asks for a new URL and carries on', async () => {
    const first = await streamUrl('3');
    const chunkServers = platform.services.filter((s) => s.name === 'chunk-server');
    expect(chunkServers).toHaveLength(2);
    const victim = chunkServers.find((s) => s.url === new URL(first).origin)!;
    victim.child.kill('SIGKILL');
    await victim.exited;
    await expect(fetch(first)).rejects.toThrow();
    // Within a few health-check intervals the dead replica gets no new URLs.
    let second = first;
    for (let i = 0; i < 50 && new URL(second).origin === victim.url; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      second = await streamUrl('3');
    }
    expect(new URL(second).origin).not.toBe(victim.url);
    await decodeEverything(second);
  });
});
