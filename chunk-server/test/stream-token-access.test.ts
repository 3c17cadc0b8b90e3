import { signStreamToken } from '@cinema/kit/stream-token';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ffmpegForTests } from './support/ffmpeg-availability.js';
import { createDemoMediaRoot, type DemoMediaRoot } from './support/demo-media-root.js';
import { rawRequest, type RawResponse } from './support/raw-request.js';
import { startTestServer, streamPath, testKey, type TestServer } from './support/test-server.js';

const tools = await ffmpegForTests();
const INVALID = '{"error":{"code":"STREAM_TOKEN_INVALID"}}';

describe.skipIf(!tools)('signed stream URLs', () => {
  let media: DemoMediaRoot;
  let chunkServer: TestServer;
  const fetchPath = (target: string): Promise<RawResponse> => rawRequest(chunkServer.port, target);

  beforeAll(async () => {
    media = await createDemoMediaRoot(tools!);
    chunkServer = await startTestServer({ mediaRoot: media.mediaRoot });
  });
  afterAll(async () => {
    await chunkServer?.close();
    await media?.cleanup();
  });

  it('serves a valid token', async () => {
    expect((await fetchPath(streamPath(media.assetId, 'master.m3u8'))).status).toBe(200);
  });

  it('answers an expired token with 410 and only the error code', async () => {
    const response = await fetchPath(streamPath(media.assetId, 'master.m3u8', { expiresAt: new Date(Date.now() - 1000) }));
    expect(response.status).toBe(410);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.body.toString()).toBe('{"error":{"code":"STREAM_TOKEN_EXPIRED"}}');
  });

  it('answers a tampered token with 403: changed signature, expiry or user', async () => {
    const target = streamPath(media.assetId, 'master.m3u8', { userId: 'alice' });
    const [, , token = '', ...rest] = target.split('/');
    const [kid, expiry, user, mac = ''] = token.split('.');
    const forged = [
      [kid, expiry, user, (mac[0] === 'A' ? 'B' : 'A') + mac.slice(1)],
      [kid, String(Number(expiry) + 3600), user, mac],
      [kid, expiry, Buffer.from('bob').toString('base64url'), mac],
      [kid, expiry, user],
    ];
    for (const parts of forged) {
      const response = await fetchPath(['', 's', parts.join('.'), ...rest].join('/'));
      expect(response.status, parts.join('.')).toBe(403);
      expect(response.body.toString()).toBe(INVALID);
    }
  });

  it('refuses a token used for another asset, even one that exists nowhere (no enumeration)', async () => {
    for (const other of ['demo-2', 'no-such-movie']) {
      const response = await fetchPath(streamPath(other, 'master.m3u8', { signedFor: media.assetId }));
      expect(response.status).toBe(403);
      expect(response.body.toString()).toBe(INVALID);
    }
  });

  it('binds the token to its user: the user is part of what is signed', async () => {
    const alice = streamPath(media.assetId, 'master.m3u8', { userId: 'alice' });
    const bob = streamPath(media.assetId, 'master.m3u8', { userId: 'bob' });
    expect(alice).not.toBe(bob);
    expect((await fetchPath(alice)).status).toBe(200);
    expect((await fetchPath(bob)).status).toBe(200);
    // Alice's signature under Bob's name (or the reverse) is a forgery.
    const [, , aliceToken = ''] = alice.split('/');
    const [, , bobToken = ''] = bob.split('/');
    const swapped = [...bobToken.split('.').slice(0, 3), aliceToken.split('.')[3]].join('.');
    expect((await fetchPath(`/s/${swapped}/${media.assetId}/master.m3u8`)).status).toBe(403);
  });

  it('answers a valid token for an asset that does not exist with 404', async () => {
    const response = await fetchPath(streamPath('no-such-movie', 'master.m3u8'));
    expect(response.status).toBe(404);
    expect(response.body.toString()).toBe('{"error":{"code":"ASSET_NOT_FOUND"}}');
  });

  it('refuses a key id it does not know, and accepts every configured key during a rotation', async () => {
    const stranger = { kid: 'other-kid', secret: testKey.secret };
    expect((await fetchPath(streamPath(media.assetId, 'master.m3u8', { key: stranger }))).status).toBe(403);

    const next = { kid: 'test-k2', secret: 'next-secret-0123456789-0123456789-abcdef' };
    const rotated = await startTestServer({ mediaRoot: media.mediaRoot, streamKeys: [next, testKey] });
    try {
      for (const key of [next, testKey]) expect((await rawRequest(rotated.port, streamPath(media.assetId, 'master.m3u8', { key }))).status).toBe(200);
    } finally {
      await rotated.close();
    }
  });

  it('lets segments inherit the playlist token through relative URIs', async () => {
    const master = streamPath(media.assetId, 'master.m3u8');
    const base = master.slice(0, master.lastIndexOf('/') + 1);
    const variant = (await fetchPath(master)).body
      .toString()
      .split('\n')
      .find((line) => line.endsWith('.m3u8')) as string;
    const mediaPlaylist = (await fetchPath(base + variant)).body.toString();
    const segment = mediaPlaylist.split('\n').find((line) => line.endsWith('.m4s')) as string;
    const variantBase = base + variant.slice(0, variant.lastIndexOf('/') + 1);
    expect((await fetchPath(variantBase + segment)).status).toBe(200);
    expect((await fetchPath(variantBase + 'init.mp4')).status).toBe(200);
  });

  it('does not leak anything in error responses', async () => {
    const token = signStreamToken(testKey, { assetId: media.assetId, userId: 'u', expiresAt: new Date(Date.now() - 1000) });
    const response = await fetchPath(`/s/${token}/${media.assetId}/movie.mp4`);
    expect(response.body.toString()).toBe('{"error":{"code":"STREAM_TOKEN_EXPIRED"}}');
    expect(response.headers).not.toHaveProperty('x-powered-by');
    expect(response.headers).not.toHaveProperty('server');
    for (const [name, value] of Object.entries(response.headers)) {
      expect(`${name}: ${String(value)}`).not.toContain(media.mediaRoot);
      expect(String(value)).not.toMatch(/Error|\bat /);
    }
  });
});
