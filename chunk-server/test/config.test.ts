import { ConfigError } from '@cinema/kit/config';
import { DEVELOPMENT_STREAM_KEY } from '@cinema/kit/stream-token';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadChunkServerConfig } from '../src/config.js';
import { defaultMediaRoot } from '../src/media-root.js';

const secret = 'production-secret-0123456789-0123456789';

describe('loadChunkServerConfig', () => {
  it('defaults to port 4100 on 127.0.0.1, the repo media root and the development key', () => {
    const config = loadChunkServerConfig({});
    expect(config).toMatchObject({ PORT: 4100, HOST: '127.0.0.1', MEDIA_ROOT: defaultMediaRoot, usesDevelopmentKey: true });
    expect(config.streamKeys).toEqual([DEVELOPMENT_STREAM_KEY]);
  });

  it('reads STREAM_KEYS as a list or JSON, first key first', () => {
    expect(loadChunkServerConfig({ STREAM_KEYS: `new:${secret},old:${secret}x` }).streamKeys.map((key) => key.kid)).toEqual(['new', 'old']);
    expect(loadChunkServerConfig({ STREAM_KEYS: JSON.stringify({ k: secret }) }).streamKeys).toEqual([{ kid: 'k', secret }]);
    expect(loadChunkServerConfig({ MEDIA_ROOT: 'rel/media', PORT: '0' })).toMatchObject({ MEDIA_ROOT: path.resolve('rel/media'), PORT: 0 });
  });

  it('refuses the development key in production, whether implicit or explicit', () => {
    expect(() => loadChunkServerConfig({ NODE_ENV: 'production' })).toThrow(/STREAM_KEYS/);
    const explicit = `${DEVELOPMENT_STREAM_KEY.kid}:${DEVELOPMENT_STREAM_KEY.secret}`;
    expect(() => loadChunkServerConfig({ NODE_ENV: 'production', STREAM_KEYS: explicit })).toThrow(ConfigError);
    expect(loadChunkServerConfig({ NODE_ENV: 'production', STREAM_KEYS: `prod:${secret}` }).usesDevelopmentKey).toBe(false);
  });

  it('reads the peers of redundant streams and the worker count', () => {
    expect(loadChunkServerConfig({})).toMatchObject({ CHUNK_SERVER_PEERS: [], CHUNK_SERVER_WORKERS: 1 });
    const config = loadChunkServerConfig({ CHUNK_SERVER_PEERS: ' http://a:4100/ ,https://cdn.example/b,http://a:4100', CHUNK_SERVER_WORKERS: '4' });
    expect(config).toMatchObject({ CHUNK_SERVER_PEERS: ['http://a:4100', 'https://cdn.example/b'], CHUNK_SERVER_WORKERS: 4 });
    expect(loadChunkServerConfig({ CHUNK_SERVER_WORKERS: 'auto' }).CHUNK_SERVER_WORKERS).toBeGreaterThanOrEqual(1);
    expect(() => loadChunkServerConfig({ CHUNK_SERVER_PEERS: 'ftp://a' })).toThrow(/CHUNK_SERVER_PEERS/);
    expect(() => loadChunkServerConfig({ CHUNK_SERVER_PEERS: 'http://a/?x=1' })).toThrow(/CHUNK_SERVER_PEERS/);
    expect(() => loadChunkServerConfig({ CHUNK_SERVER_WORKERS: '0' })).toThrow(/CHUNK_SERVER_WORKERS/);
  });

  it('names the variable when a value is malformed', () => {
    expect(() => loadChunkServerConfig({ STREAM_KEYS: 'k:short' })).toThrow(/STREAM_KEYS: .*shorter than 32/);
    expect(() => loadChunkServerConfig({ PORT: 'http' })).toThrow(/PORT/);
  });
});
