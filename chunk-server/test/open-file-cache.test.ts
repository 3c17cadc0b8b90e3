import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { text } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenFileCache } from '../src/open-file-cache.js';

describe('OpenFileCache', () => {
  let dir: string;
  const files: Record<'a' | 'b', { path: string; content: string }> = {} as never;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'open-file-cache-'));
    for (const name of ['a', 'b'] as const) {
      const content = randomBytes(300_000).toString('hex');
      files[name] = { path: path.join(dir, name), content };
      await writeFile(files[name].path, content);
    }
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const readRange = async (cache: OpenFileCache, file: { path: string }, start: number, end: number) => {
    const lease = await cache.acquire(file.path);
    try {
      return await text(lease.createReadStream({ start, end, highWaterMark: 4096 }));
    } finally {
      lease.release();
    }
  };

  it('shares one descriptor between concurrent readers, each at its own position', async () => {
    const cache = new OpenFileCache();
    const [one, two] = await Promise.all([cache.acquire(files.a.path), cache.acquire(files.a.path)]);
    expect(one.fd).toBe(two.fd);
    const [head, tail] = await Promise.all([
      text(one.createReadStream({ start: 0, end: 99_999 })),
      text(two.createReadStream({ start: 500_000, end: 599_999 })),
    ]);
    expect(head).toBe(files.a.content.slice(0, 100_000));
    expect(tail).toBe(files.a.content.slice(500_000, 600_000));
    one.release();
    two.release();
    cache.close();
  });

  it('survives a reader destroyed mid-way, as when a viewer aborts a download', async () => {
    const cache = new OpenFileCache();
    const lease = await cache.acquire(files.a.path);
    const aborted = lease.createReadStream({ start: 0, end: 599_999, highWaterMark: 1024 });
    await new Promise<void>((resolve) => aborted.once('data', () => resolve()));
    aborted.destroy();
    await new Promise<void>((resolve) => aborted.once('close', () => resolve()));
    lease.release();
    expect(await readRange(cache, files.a, 1000, 1999)).toBe(files.a.content.slice(1000, 2000));
    cache.close();
  });

  it('evicts idle descriptors beyond its size, never busy ones, and reopens on demand', async () => {
    const cache = new OpenFileCache(1);
    const busy = await cache.acquire(files.a.path);
    expect(await readRange(cache, files.b, 0, 9)).toBe(files.b.content.slice(0, 10));
    expect(await text(busy.createReadStream({ start: 10, end: 19 }))).toBe(files.a.content.slice(10, 20));
    busy.release();
    expect(await readRange(cache, files.a, 20, 29)).toBe(files.a.content.slice(20, 30));
    cache.close();
    // After close, leases still work; their descriptors are closed on release.
    expect(await readRange(cache, files.b, 30, 39)).toBe(files.b.content.slice(30, 40));
  });

  it('rejects a missing file without caching the failure', async () => {
    const cache = new OpenFileCache();
    await expect(cache.acquire(path.join(dir, 'missing'))).rejects.toMatchObject({ code: 'ENOENT' });
    await writeFile(path.join(dir, 'missing'), 'now here');
    expect(await readRange(cache, { path: path.join(dir, 'missing') }, 0, 7)).toBe('now here');
    cache.close();
  });
});
