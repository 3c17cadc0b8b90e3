import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MediaFile } from '../src/media-library.js';
import { OpenFileCache } from '../src/open-file-cache.js';
import { SegmentMemoryCache } from '../src/segment-memory-cache.js';

describe('SegmentMemoryCache', () => {
  let dir: string;
  const contents = new Map<string, Buffer>();
  const fileOf = (name: string, etag = `"${name}"`): MediaFile => ({
    absolutePath: path.join(dir, name),
    size: contents.get(name)!.length,
    etag,
    lastModified: new Date(0).toUTCString(),
    contentType: 'video/iso.segment',
    cacheControl: 'public, max-age=31536000, immutable',
  });

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'segment-memory-cache-'));
    for (const [name, size] of [
      ['a', 400_000],
      ['b', 400_000],
      ['c', 400_000],
      ['big', 2_000_000],
    ] as const) {
      contents.set(name, randomBytes(size));
      await writeFile(path.join(dir, name), contents.get(name)!);
    }
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('returns the exact bytes, read once for concurrent first requests and shared afterwards', async () => {
    const openFiles = new OpenFileCache();
    const cache = new SegmentMemoryCache(10_000_000);
    const [one, two] = await Promise.all([cache.bytes(fileOf('a'), openFiles), cache.bytes(fileOf('a'), openFiles)]);
    expect(one.equals(contents.get('a')!)).toBe(true);
    // One read, one buffer: the second request waited for the first one's read instead of starting its own.
    expect(two).toBe(one);
    expect(openFiles.stats().misses).toBe(1);
    expect(await cache.bytes(fileOf('a'), openFiles)).toBe(one);
    expect(cache.stats()).toMatchObject({ hits: 2, misses: 1, entries: 1 });
    openFiles.close();
  });

  it('keeps within its byte budget, evicting the least recently used file first', async () => {
    const openFiles = new OpenFileCache();
    const cache = new SegmentMemoryCache(900_000);
    await cache.bytes(fileOf('a'), openFiles);
    await cache.bytes(fileOf('b'), openFiles);
    await cache.bytes(fileOf('a'), openFiles); // a is now more recent than b
    await cache.bytes(fileOf('c'), openFiles); // over budget: b goes
    expect(cache.heldBytes).toBe(800_000);
    expect(cache.stats()).toMatchObject({ evictions: 1, entries: 2 });
    const misses = cache.stats().misses;
    await cache.bytes(fileOf('a'), openFiles);
    expect(cache.stats().misses).toBe(misses);
    await cache.bytes(fileOf('b'), openFiles);
    expect(cache.stats().misses).toBe(misses + 1);
    openFiles.close();
  });

  it('treats a new ETag (a re-ingest) as a new file, and refuses files above its size limit', async () => {
    const openFiles = new OpenFileCache();
    const cache = new SegmentMemoryCache(10_000_000, 1_000_000);
    await cache.bytes(fileOf('a'), openFiles);
    await cache.bytes(fileOf('a', '"a-reingested"'), openFiles);
    expect(cache.stats().misses).toBe(2);
    expect(cache.accepts(fileOf('a'))).toBe(true);
    expect(cache.accepts(fileOf('big'))).toBe(false);
    expect(new SegmentMemoryCache(0).accepts(fileOf('a'))).toBe(false);
    openFiles.close();
  });

  it('forgets a failed read, so the next request tries the disk again', async () => {
    const openFiles = new OpenFileCache();
    const cache = new SegmentMemoryCache(10_000_000);
    const missing: MediaFile = { ...fileOf('a'), absolutePath: path.join(dir, 'missing') };
    await expect(cache.bytes(missing, openFiles)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(cache.stats().entries).toBe(0);
    expect(cache.heldBytes).toBe(0);
    // A file shorter than its manifest says is a server fault, not a short answer.
    await expect(cache.bytes({ ...fileOf('a'), size: contents.get('a')!.length + 10 }, openFiles)).rejects.toThrow(/ended after/);
    openFiles.close();
  });
});
