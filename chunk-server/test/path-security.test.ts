import { cp, mkdir, mkdtemp, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ffmpegForTests } from './support/ffmpeg-availability.js';
import { createDemoMediaRoot, type DemoMediaRoot } from './support/demo-media-root.js';
import { rawRequest } from './support/raw-request.js';
import { startTestServer, streamPath, type TestServer } from './support/test-server.js';

const tools = await ffmpegForTests();

describe.skipIf(!tools)('file security', () => {
  let media: DemoMediaRoot;
  let outside: string;
  let chunkServer: TestServer;
  let secrets: string[];

  beforeAll(async () => {
    media = await createDemoMediaRoot(tools!);
    outside = await mkdtemp(path.join(tmpdir(), 'chunk-server-outside-'));
    const assetDir = path.join(media.mediaRoot, media.assetId);

    // 1. movie.mp4 of demo asset "linked-file" is a symlink to an identical copy outside the root: only the realpath
    //    check can refuse it (size and manifest would match).
    const linkedFile = path.join(media.mediaRoot, 'linked-file');
    await cp(assetDir, linkedFile, { recursive: true });
    await rewriteManifestId(linkedFile, 'linked-file');
    await rename(path.join(linkedFile, 'movie.mp4'), path.join(outside, 'movie.mp4'));
    await symlink(path.join(outside, 'movie.mp4'), path.join(linkedFile, 'movie.mp4'));

    // 2. The whole asset folder "linked-dir" is a symlink to a complete asset outside the root.
    const outsideAsset = path.join(outside, 'linked-dir');
    await cp(assetDir, outsideAsset, { recursive: true });
    await rewriteManifestId(outsideAsset, 'linked-dir');
    await symlink(outsideAsset, path.join(media.mediaRoot, 'linked-dir'));

    // 3. A stray file in an asset folder that the whitelist does not name.
    await writeFile(path.join(assetDir, 'notes.txt'), 'STRAY-FILE-CONTENT');
    await mkdir(path.join(outside, 'etc'));
    await writeFile(path.join(outside, 'etc', 'passwd'), 'root:x:0:0:OUTSIDE-SECRET');
    secrets = ['root:x:0:0', 'STRAY-FILE-CONTENT', '"schemaVersion"', 'OUTSIDE-SECRET'];

    chunkServer = await startTestServer({ mediaRoot: media.mediaRoot, headersTimeoutMs: 500 });
  });
  afterAll(async () => {
    await chunkServer?.close();
    await media?.cleanup();
    if (outside) await rm(outside, { recursive: true, force: true });
  });

  it('refuses traversal, encoded separators, backslashes, NUL and absolute paths without leaking a byte', async () => {
    const token = streamPath(media.assetId, 'master.m3u8').split('/')[2] as string;
    const prefix = `/s/${token}/${media.assetId}`;
    const relativeToOutside = path.relative(path.join(media.mediaRoot, media.assetId), path.join(outside, 'etc', 'passwd'));
    const attempts = [
      `${prefix}/../../../../../../etc/passwd`,
      `${prefix}/${relativeToOutside}`,
      `${prefix}/%2e%2e/%2e%2e/%2e%2e/etc/passwd`,
      `${prefix}/%2e%2e%2f%2e%2e%2fetc%2fpasswd`,
      `${prefix}/..%2fmanifest.json`,
      `${prefix}%2fmanifest.json`,
      `${prefix}/240p%2finit.mp4`,
      `${prefix}/..%5c..%5cetc%5cpasswd`,
      `${prefix}/..\\..\\etc\\passwd`,
      `${prefix}/movie.mp4%00.m3u8`,
      `${prefix}/./master.m3u8`,
      `${prefix}//etc/passwd`,
      `${prefix}/manifest.json`,
      `${prefix}/notes.txt`,
      `${prefix}/240p/seg_01.m4s`,
      `${prefix}/240p/seg_99.m4s`,
      `${prefix}/999p/index.m3u8`,
      `/s/${token}/..%2f..%2fetc/passwd`,
      `/s/${token}/../etc/passwd`,
      `/s/${token}/${path.join(outside, 'etc')}/passwd`,
      `/s/${token}//${outside}/etc/passwd`,
      '/etc/passwd',
      `/${outside}/etc/passwd`,
      `http://127.0.0.1/${outside}/etc/passwd`,
    ];
    for (const attempt of attempts) {
      const response = await rawRequest(chunkServer.port, attempt);
      expect([400, 403, 404], attempt).toContain(response.status);
      const body = response.body.toString('latin1');
      for (const secret of secrets) expect(body, attempt).not.toContain(secret);
      expect(body).toMatch(/^\{"error":\{"code":"[A-Z_]+"\}\}$/);
    }
  });

  it('refuses a whitelisted file that is a symlink out of the media root', async () => {
    const response = await rawRequest(chunkServer.port, streamPath('linked-file', 'movie.mp4'));
    expect(response.status).toBe(404);
    expect(response.body.toString()).toBe('{"error":{"code":"MEDIA_FILE_NOT_FOUND"}}');
    // The rest of that asset is inside the root and still plays.
    expect((await rawRequest(chunkServer.port, streamPath('linked-file', 'master.m3u8'))).status).toBe(200);
  });

  it('refuses an asset folder that is a symlink out of the media root', async () => {
    for (const file of ['master.m3u8', 'movie.mp4']) {
      const response = await rawRequest(chunkServer.port, streamPath('linked-dir', file));
      expect(response.status).toBe(404);
      expect(response.body.toString()).toBe('{"error":{"code":"ASSET_NOT_FOUND"}}');
    }
  });

  it('refuses methods other than GET, HEAD and OPTIONS', async () => {
    const response = await rawRequest(chunkServer.port, streamPath(media.assetId, 'movie.mp4'), { method: 'POST' });
    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe('GET, HEAD, OPTIONS');
  });

  it('refuses oversized request headers with 431', async () => {
    const response = await rawRequest(chunkServer.port, streamPath(media.assetId, 'master.m3u8'), { headers: { 'x-padding': 'a'.repeat(16 * 1024) } });
    expect(response.status).toBe(431);
  });

  it('drops a client that never finishes its headers (slowloris)', async () => {
    const started = Date.now();
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(chunkServer.port, '127.0.0.1', () => socket.write('GET /health HTTP/1.1\r\nHost: x\r\n'));
      let data = '';
      socket.setEncoding('utf8').on('data', (chunk: string) => (data += chunk));
      socket.on('close', () => resolve(data));
      socket.on('error', reject);
    });
    expect(reply).toMatch(/^HTTP\/1\.1 408/);
    // Dropped by the 500 ms headers timeout, not by anything later (the client never finishes; the generous bound
    // only allows for a loaded machine).
    expect(Date.now() - started).toBeGreaterThanOrEqual(450);
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});

async function rewriteManifestId(assetDir: string, assetId: string): Promise<void> {
  const file = path.join(assetDir, 'manifest.json');
  const manifest = JSON.parse(await readFile(file, 'utf8')) as { assetId: string };
  manifest.assetId = assetId;
  await writeFile(file, JSON.stringify(manifest));
}
