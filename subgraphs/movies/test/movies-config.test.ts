import { describe, expect, it } from 'vitest';
import { loadMoviesConfig } from '../src/config.js';

const base = { DATABASE_URL: 'postgres://localhost/x', PORT: '0' };

describe('movies config: chunk server addresses', () => {
  it('maps each internal chunk server URL to its public URL, in order', () => {
    const config = loadMoviesConfig({
      ...base,
      CHUNK_SERVER_URLS: 'http://chunk-1:4100, http://chunk-2:4100/',
      CHUNK_SERVER_PUBLIC_URLS: 'https://c1.example.com,https://c2.example.com',
    });
    expect([...config.publicUrlOf]).toEqual([
      ['http://chunk-1:4100', 'https://c1.example.com'],
      ['http://chunk-2:4100', 'https://c2.example.com'],
    ]);
  });

  it('uses the internal URL when no public one is given', () => {
    const config = loadMoviesConfig({ ...base, CHUNK_SERVER_URLS: 'http://127.0.0.1:4100' });
    expect(config.publicUrlOf.get('http://127.0.0.1:4100')).toBe('http://127.0.0.1:4100');
  });

  it('refuses public URLs that do not pair up with the internal ones', () => {
    expect(() => loadMoviesConfig({ ...base, CHUNK_SERVER_URLS: 'http://a:1,http://b:1', CHUNK_SERVER_PUBLIC_URLS: 'https://a.example.com' })).toThrow(
      /CHUNK_SERVER_PUBLIC_URLS/,
    );
  });

  it('refuses the public development stream key in production', () => {
    expect(() => loadMoviesConfig({ ...base, NODE_ENV: 'production', CHUNK_SERVER_URLS: 'http://a:1' })).toThrow(/STREAM_KEYS/);
  });
});
