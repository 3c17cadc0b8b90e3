import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ffmpegForTests } from './support/ffmpeg-availability.js';
import { createDemoMediaRoot, type DemoMediaRoot } from './support/demo-media-root.js';
import { rawRequest } from './support/raw-request.js';
import { runProcess } from './support/run-process.js';
import { startTestServer, streamPath, type TestServer } from './support/test-server.js';

const tools = await ffmpegForTests();

// One small asset for every test here: encoding it is the slow part on a busy machine.
let sharedMedia: Promise<DemoMediaRoot> | undefined;
const demoMedia = () => (sharedMedia ??= createDemoMediaRoot(tools!));
afterAll(async () => {
  if (sharedMedia) await (await sharedMedia).cleanup();
});

describe.skipIf(!tools)('HLS and progressive playback through a signed URL', () => {
  let media: DemoMediaRoot;
  let chunkServer: TestServer;
  const url = (file: string) => `${chunkServer.baseUrl}${streamPath(media.assetId, file)}`;
  const text = async (file: string) => (await rawRequest(chunkServer.port, streamPath(media.assetId, file))).body.toString('utf8');

  beforeAll(async () => {
    media = await demoMedia();
    chunkServer = await startTestServer({ mediaRoot: media.mediaRoot });
  }, 300_000);
  afterAll(async () => {
    await chunkServer?.close();
  });

  it('ffprobe sees three renditions (programs with a video stream each) in the master playlist', async () => {
    const probe = await runProcess(tools!.ffprobe, ['-v', 'error', '-print_format', 'json', '-show_programs', '-show_streams', url('master.m3u8')]);
    expect(probe.code, probe.stderr).toBe(0);
    const parsed = JSON.parse(probe.stdout) as { programs: unknown[]; streams: Array<{ codec_type: string; codec_name: string; height?: number }> };
    const video = parsed.streams.filter((stream) => stream.codec_type === 'video');
    expect(parsed.programs.length).toBeGreaterThanOrEqual(2);
    expect(video.length).toBeGreaterThanOrEqual(2);
    expect(video.map((stream) => stream.height).sort()).toEqual([240, 480, 720]);
    expect(new Set(video.map((stream) => stream.codec_name))).toEqual(new Set(['h264']));
    expect(parsed.streams.some((stream) => stream.codec_type === 'audio' && stream.codec_name === 'aac')).toBe(true);
  });

  it('ffmpeg decodes every rendition from the master playlist without a single error', async () => {
    const decode = await runProcess(tools!.ffmpeg, ['-nostdin', '-v', 'error', '-i', url('master.m3u8'), '-map', '0', '-f', 'null', '-']);
    expect(decode.stderr).toBe('');
    expect(decode.code).toBe(0);
  });

  it('ffmpeg decodes the progressive movie.mp4', async () => {
    const decode = await runProcess(tools!.ffmpeg, ['-nostdin', '-v', 'error', '-i', url('movie.mp4'), '-map', '0', '-f', 'null', '-']);
    expect(decode.stderr).toBe('');
    expect(decode.code).toBe(0);
  });

  it('writes a master playlist per RFC 8216 with relative rendition URIs', async () => {
    const master = await text('master.m3u8');
    expect(master.startsWith('#EXTM3U\n')).toBe(true);
    const variants = [...master.matchAll(/#EXT-X-STREAM-INF:([^\n]+)\n([^\n]+)/g)];
    expect(variants.map((variant) => variant[2])).toEqual(['240p/index.m3u8', '480p/index.m3u8', '720p/index.m3u8']);
    for (const [, attributes] of variants) {
      expect(attributes).toMatch(/(^|,)BANDWIDTH=\d+/);
      expect(attributes).toMatch(/RESOLUTION=\d+x(240|480|720)/);
      expect(attributes).toMatch(/CODECS="avc1\.[0-9a-f]{6},mp4a\.40\.2"/);
    }
  });

  it('writes VOD media playlists with fMP4 segments, an init map and an honoured target duration', async () => {
    for (const rendition of ['240p', '480p', '720p']) {
      const playlist = await text(`${rendition}/index.m3u8`);
      expect(Number(/#EXT-X-VERSION:(\d+)/.exec(playlist)?.[1])).toBeGreaterThanOrEqual(7);
      expect(playlist).toContain('#EXT-X-PLAYLIST-TYPE:VOD');
      expect(playlist.trimEnd().endsWith('#EXT-X-ENDLIST')).toBe(true);
      expect(playlist).toContain('#EXT-X-MAP:URI="init.mp4"');
      const target = Number(/#EXT-X-TARGETDURATION:(\d+)/.exec(playlist)?.[1]);
      const durations = [...playlist.matchAll(/#EXTINF:([\d.]+),\n([^\n]+)/g)];
      expect(durations.map((entry) => entry[2])).toEqual(['seg_0.m4s', 'seg_1.m4s']);
      for (const [, duration] of durations) expect(Math.round(Number(duration))).toBeLessThanOrEqual(target);
    }
  });

  it('labels and caches each kind of file appropriately', async () => {
    const expectations: Array<[string, string, RegExp]> = [
      ['master.m3u8', 'application/vnd.apple.mpegurl', /^private, max-age=\d+$/],
      ['240p/index.m3u8', 'application/vnd.apple.mpegurl', /^private, max-age=\d+$/],
      ['240p/init.mp4', 'video/mp4', /^public, max-age=31536000, immutable$/],
      ['480p/seg_1.m4s', 'video/iso.segment', /^public, max-age=31536000, immutable$/],
      ['movie.mp4', 'video/mp4', /^public, max-age=31536000, immutable$/],
    ];
    for (const [file, type, cache] of expectations) {
      const response = await rawRequest(chunkServer.port, streamPath(media.assetId, file));
      expect(response.status, file).toBe(200);
      expect(response.headers['content-type']).toBe(type);
      expect(response.headers['cache-control']).toMatch(cache);
      expect(Number(response.headers['content-length'])).toBe(response.body.length);
    }
  });

  it('puts the progressive MP4 index before the media data (faststart) so playback starts immediately', async () => {
    const head = (await rawRequest(chunkServer.port, streamPath(media.assetId, 'movie.mp4'), { headers: { range: 'bytes=0-65535' } })).body;
    const moov = head.indexOf('moov', 0, 'latin1');
    expect(moov).toBeGreaterThan(0);
    const mdat = head.indexOf('mdat', 0, 'latin1');
    expect(mdat === -1 || moov < mdat).toBe(true);
  });

  it('answers /health with the number of assets and its own load', async () => {
    const response = await rawRequest(chunkServer.port, '/health');
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body.toString())).toEqual({
      status: 'ok',
      assets: 1,
      load: { activeResponses: 0, bytesPerSecond: expect.any(Number), eventLoopDelayMs: expect.any(Number), processes: 1 },
    });
  });

  it('serves the poster without a token, and nothing else that way', async () => {
    const poster = await rawRequest(chunkServer.port, `/p/${media.assetId}/poster.jpg`);
    expect(poster.status).toBe(200);
    expect(poster.headers['content-type']).toBe('image/jpeg');
    expect(poster.body.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    expect((await rawRequest(chunkServer.port, `/p/${media.assetId}/movie.mp4`)).status).toBe(404);
    expect((await rawRequest(chunkServer.port, `/p/${media.assetId}/240p/seg_0.m4s`)).status).toBe(400);
    expect((await rawRequest(chunkServer.port, `/p/../poster.jpg`)).status).toBe(400);
  });
});

describe.skipIf(!tools)('a master playlist from a chunk server with peers', () => {
  let media: DemoMediaRoot;
  let servers: TestServer[];

  beforeAll(async () => {
    media = await demoMedia();
    // Three replicas of one media root; each is told every replica's public URL, itself included.
    const first = await startTestServer({ mediaRoot: media.mediaRoot });
    const second = await startTestServer({ mediaRoot: media.mediaRoot });
    const third = await startTestServer({ mediaRoot: media.mediaRoot });
    const peers = [first, second, third].map((server) => server.baseUrl);
    await Promise.all([first, second, third].map((server) => server.close()));
    servers = await Promise.all(peers.map((peer) => startTestServer({ mediaRoot: media.mediaRoot, peers, port: Number(new URL(peer).port) })));
  }, 300_000);
  afterAll(async () => {
    await Promise.all((servers ?? []).map((server) => server.close()));
  });

  it('lists every variant again on each other replica, same attributes, same token, self first', async () => {
    const path = streamPath(media.assetId, 'master.m3u8');
    const token = path.split('/')[2];
    const response = await rawRequest(servers[1]!.port, path);
    expect(response.status).toBe(200);
    expect(response.headers['cache-control']).toBe('private, no-cache');
    const variants = [...response.body.toString('utf8').matchAll(/#EXT-X-STREAM-INF:([^\n]+)\n([^\n]+)/g)];
    const names = ['240p', '480p', '720p'];
    // Asked of the second replica: the third and then the first are its backups (rotated, so viewers spread).
    const [first, , third] = servers.map((server) => server.baseUrl);
    expect(variants.map((variant) => variant[2])).toEqual([
      ...names.map((name) => `${name}/index.m3u8`),
      ...names.map((name) => `${third}/s/${token}/${media.assetId}/${name}/index.m3u8`),
      ...names.map((name) => `${first}/s/${token}/${media.assetId}/${name}/index.m3u8`),
    ]);
    // Redundant streams must carry identical attributes, or players treat them as different renditions.
    for (let index = 0; index < names.length; index++) {
      expect(variants[index + 3]![1]).toBe(variants[index]![1]);
      expect(variants[index + 6]![1]).toBe(variants[index]![1]);
    }
  });

  it('ffmpeg decodes the redundant master playlist, every variant of every replica', async () => {
    const url = `${servers[0]!.baseUrl}${streamPath(media.assetId, 'master.m3u8')}`;
    // No persistent HTTP: ffmpeg otherwise complains (at error level) each time it cannot reuse a connection for
    // another replica, which says nothing about the media.
    const decode = await runProcess(tools!.ffmpeg, ['-nostdin', '-v', 'error', '-http_persistent', '0', '-i', url, '-map', '0', '-f', 'null', '-']);
    expect(decode.stderr).toBe('');
    expect(decode.code).toBe(0);
  });

  it('a token for one user and asset opens the same asset on every replica, and nothing else', async () => {
    for (const server of servers) {
      expect((await rawRequest(server.port, streamPath(media.assetId, '240p/seg_0.m4s'))).status).toBe(200);
      expect((await rawRequest(server.port, streamPath(media.assetId, '240p/seg_0.m4s', { signedFor: 'another-asset' }))).status).toBe(403);
    }
  });
});
