import { describe, expect, it } from 'vitest';
import { parseStreamPath } from '../src/stream-request-path.js';

describe('parseStreamPath', () => {
  const token = 'k1.1700000000.dTE.' + 'A'.repeat(43);

  it('accepts every whitelisted file and ignores the query string', () => {
    for (const file of ['master.m3u8', 'movie.mp4', '240p/index.m3u8', '480p/init.mp4', '480p/seg_0.m4s', '1080p/seg_123.m4s']) {
      const result = parseStreamPath(`/s/${token}/demo-1/${file}?start=1`);
      expect(result.ok && result.request).toMatchObject({ token, assetId: 'demo-1', file });
    }
  });

  it.each([
    ['/health', 'NOT_FOUND'],
    ['/s', 'NOT_FOUND'],
    [`/s/${token}/demo-1`, 'BAD_STREAM_PATH'],
    [`/s/${token}/demo-1/../x`, 'BAD_STREAM_PATH'],
    [`/s/${token}/demo-1/./master.m3u8`, 'BAD_STREAM_PATH'],
    [`/s/${token}/demo-1//master.m3u8`, 'BAD_STREAM_PATH'],
    [`/s/${token}/demo-1/%2e%2e/x`, 'BAD_STREAM_PATH'],
    [`/s/${token}/demo-1/a\\b`, 'BAD_STREAM_PATH'],
    [`/s/${token}/demo-1/a\0b`, 'BAD_STREAM_PATH'],
    [`/s/${token}/Demo-1/master.m3u8`, 'BAD_STREAM_PATH'],
    [`/s/${token}/.hidden/master.m3u8`, 'BAD_STREAM_PATH'],
    [`/s/${'a'.repeat(600)}/demo-1/master.m3u8`, 'BAD_STREAM_PATH'],
    [`/s/${token}/demo-1/manifest.json`, 'MEDIA_FILE_NOT_FOUND'],
    [`/s/${token}/demo-1/240p/seg_01.m4s`, 'MEDIA_FILE_NOT_FOUND'],
    [`/s/${token}/demo-1/240p/sub/seg_1.m4s`, 'MEDIA_FILE_NOT_FOUND'],
    [`/s/${token}/demo-1/master.m3u8/`, 'BAD_STREAM_PATH'],
  ])('%s → %s', (target, code) => {
    expect(parseStreamPath(target)).toEqual({ ok: false, code });
  });
});
