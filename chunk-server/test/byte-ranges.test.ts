import { cp, mkdtemp, readFile, rm, utimes } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ffmpegForTests } from './support/ffmpeg-availability.js';
import { createDemoMediaRoot, type DemoMediaRoot } from './support/demo-media-root.js';
import { rawRequest, type RawResponse } from './support/raw-request.js';
import { startTestServer, streamPath, type TestServer } from './support/test-server.js';

const tools = await ffmpegForTests();

// Every case runs twice: with the file served from the memory cache (the default for small files), and streamed from
// disk (what large films get), so both paths keep the same HTTP semantics.
describe.skipIf(!tools).each([
  { source: 'memory', memoryCacheBytes: undefined },
  { source: 'disk', memoryCacheBytes: 0 },
])('progressive MP4 byte ranges (RFC 9110), bytes from $source', ({ memoryCacheBytes }) => {
  let media: DemoMediaRoot;
  let chunkServer: TestServer;
  let movie: Buffer;
  let size: number;
  let etag: string;
  let lastModified: string;
  const get = (headers: Record<string, string> = {}, method = 'GET'): Promise<RawResponse> =>
    rawRequest(chunkServer.port, streamPath(media.assetId, 'movie.mp4'), { headers, method });

  beforeAll(async () => {
    media = await createDemoMediaRoot(tools!);
    chunkServer = await startTestServer({ mediaRoot: media.mediaRoot, ...(memoryCacheBytes === undefined ? {} : { memoryCacheBytes }) });
    movie = await readFile(path.join(media.mediaRoot, media.assetId, 'movie.mp4'));
    size = movie.length;
    const whole = await get();
    etag = whole.headers.etag as string;
    lastModified = whole.headers['last-modified'] as string;
  });
  afterAll(async () => {
    await chunkServer?.close();
    await media?.cleanup();
  });

  it('serves the whole file with validators and Accept-Ranges', async () => {
    const response = await get();
    expect(response.status).toBe(200);
    expect(response.headers['accept-ranges']).toBe('bytes');
    expect(response.headers.etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(new Date(response.headers['last-modified'] as string).toUTCString()).toBe(response.headers['last-modified']);
    expect(Number(response.headers['content-length'])).toBe(size);
    expect(response.body.equals(movie)).toBe(true);
  });

  it('answers a-b with 206 and exactly those bytes', async () => {
    const response = await get({ range: 'bytes=100-199' });
    expect(response.status).toBe(206);
    expect(response.headers['content-range']).toBe(`bytes 100-199/${size}`);
    expect(response.headers['content-length']).toBe('100');
    expect(response.body.equals(movie.subarray(100, 200))).toBe(true);
  });

  it('answers a- with the rest of the file, and clamps an end past the last byte', async () => {
    const open = await get({ range: `bytes=${size - 10}-` });
    expect(open.status).toBe(206);
    expect(open.headers['content-range']).toBe(`bytes ${size - 10}-${size - 1}/${size}`);
    expect(open.body.equals(movie.subarray(size - 10))).toBe(true);
    const past = await get({ range: `bytes=${size - 5}-${size + 1000}` });
    expect(past.headers['content-range']).toBe(`bytes ${size - 5}-${size - 1}/${size}`);
  });

  it('answers a suffix -n with the last n bytes (the whole file if n is larger)', async () => {
    const suffix = await get({ range: 'bytes=-500' });
    expect(suffix.status).toBe(206);
    expect(suffix.headers['content-range']).toBe(`bytes ${size - 500}-${size - 1}/${size}`);
    expect(suffix.body.equals(movie.subarray(size - 500))).toBe(true);
    const larger = await get({ range: `bytes=-${size * 2}` });
    expect(larger.headers['content-range']).toBe(`bytes 0-${size - 1}/${size}`);
  });

  it('answers an unsatisfiable range with 416 and Content-Range: bytes */size', async () => {
    for (const range of [`bytes=${size}-`, `bytes=${size + 10}-${size + 20}`, 'bytes=-0']) {
      const response = await get({ range });
      expect(response.status, range).toBe(416);
      expect(response.headers['content-range']).toBe(`bytes */${size}`);
      expect(response.body.toString()).toBe('{"error":{"code":"RANGE_NOT_SATISFIABLE"}}');
    }
  });

  it('answers several ranges with a plain 200 and the whole body, never multipart', async () => {
    const response = await get({ range: 'bytes=0-10,20-30' });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('video/mp4');
    expect(response.headers['content-range']).toBeUndefined();
    expect(response.body.equals(movie)).toBe(true);
  });

  it('ignores malformed ranges and other units', async () => {
    for (const range of ['bytes=20-10', 'bytes=abc', 'items=0-1', 'bytes=-']) {
      const response = await get({ range });
      expect(response.status, range).toBe(200);
      expect(response.body.length).toBe(size);
    }
  });

  it('honours If-Range only when it names the current representation', async () => {
    expect((await get({ range: 'bytes=0-9', 'if-range': etag })).status).toBe(206);
    expect((await get({ range: 'bytes=0-9', 'if-range': lastModified })).status).toBe(206);
    const staleTag = await get({ range: 'bytes=0-9', 'if-range': '"0000000000000000"' });
    expect(staleTag.status).toBe(200);
    expect(staleTag.body.length).toBe(size);
    expect((await get({ range: 'bytes=0-9', 'if-range': `W/${etag}` })).status).toBe(200);
    const earlier = new Date(Date.parse(lastModified) - 1000).toUTCString();
    expect((await get({ range: 'bytes=0-9', 'if-range': earlier })).status).toBe(200);
  });

  it('answers HEAD with the headers of a GET and no body, ignoring Range', async () => {
    const response = await get({ range: 'bytes=0-9' }, 'HEAD');
    expect(response.status).toBe(200);
    expect(response.headers['content-length']).toBe(String(size));
    expect(response.headers.etag).toBe(etag);
    expect(response.body.length).toBe(0);
  });

  it('answers a current If-None-Match with 304 and no body', async () => {
    const response = await get({ 'if-none-match': etag });
    expect(response.status).toBe(304);
    expect(response.headers.etag).toBe(etag);
    expect(response.body.length).toBe(0);
  });

  it('keeps serving the right bytes after viewers abort downloads mid-stream', async () => {
    const target = streamPath(media.assetId, 'movie.mp4');
    for (let attempt = 0; attempt < 5; attempt += 1) {
      await new Promise<void>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port: chunkServer.port, path: target }, (res) => {
          res.once('data', () => {
            req.destroy();
            resolve();
          });
        });
        req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' ? resolve() : reject(error)));
        req.end();
      });
    }
    const [whole, part] = await Promise.all([get(), get({ range: 'bytes=1000-1999' })]);
    expect(whole.body.equals(movie)).toBe(true);
    expect(part.body.equals(movie.subarray(1000, 2000))).toBe(true);
  });

  it('gives the same ETag and Last-Modified on another replica with its own copy of the files', async () => {
    const copyRoot = await mkdtemp(path.join(tmpdir(), 'chunk-server-replica-'));
    try {
      await cp(media.mediaRoot, copyRoot, { recursive: true });
      const past = new Date('2001-01-01T00:00:00Z');
      await utimes(path.join(copyRoot, media.assetId, 'movie.mp4'), past, past);
      const replica = await startTestServer({ mediaRoot: copyRoot });
      try {
        for (const file of ['movie.mp4', '480p/seg_0.m4s', 'master.m3u8']) {
          const [one, two] = await Promise.all([
            rawRequest(chunkServer.port, streamPath(media.assetId, file), { method: 'HEAD' }),
            rawRequest(replica.port, streamPath(media.assetId, file), { method: 'HEAD' }),
          ]);
          expect(two.headers.etag, file).toBe(one.headers.etag);
          expect(two.headers['last-modified'], file).toBe(one.headers['last-modified']);
        }
      } finally {
        await replica.close();
      }
    } finally {
      await rm(copyRoot, { recursive: true, force: true });
    }
  });
});
