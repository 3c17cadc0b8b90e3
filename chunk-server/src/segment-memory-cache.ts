import { read } from 'node:fs';
import type { CacheStats } from '@cinema/kit/metrics';
import type { MediaFile } from './media-library.js';
import type { OpenFileCache } from './open-file-cache.js';

/** Default budget per process: a few minutes of the hottest films' segments at every rung. */
export const DEFAULT_MEMORY_CACHE_BYTES = 128 * 1024 * 1024;
/** Files larger than this (progressive MP4s, whole films) are always streamed from disk. */
export const MAX_CACHED_FILE_BYTES = 8 * 1024 * 1024;

interface Entry {
  readonly bytes: Promise<Buffer>;
  size: number;
}

/**
 * Keeps the bytes of recently served small media files (segments, init segments, media playlists, posters) in
 * memory, least recently used first out, within a byte budget.
 *
 * Why: a segment served from disk costs a thread-pool round trip per 256 KiB read and a stream per response; profiling
 * the benchmark against nginx showed that to be most of the gap on 500 KB–1 MB segments, where nginx uses
 * `sendfile`. Viewers of the same film ask for the same segments within seconds of one another, and media files never
 * change once ingested (a re-ingest changes the ETag, which is part of the key), so one copy in memory serves every
 * later response with a single socket write and no disk access. A slow viewer holds a reference to the shared
 * buffer, not a copy of it, so memory stays bounded by the budget plus files evicted while still being sent.
 *
 * Concurrent first requests for one file share a single read.
 */
export class SegmentMemoryCache {
  readonly #entries = new Map<string, Entry>();
  #bytes = 0;
  #hits = 0;
  #misses = 0;
  #evictions = 0;

  constructor(
    readonly budgetBytes = DEFAULT_MEMORY_CACHE_BYTES,
    readonly maxFileBytes = Math.min(MAX_CACHED_FILE_BYTES, budgetBytes),
  ) {}

  /** Whether `file` is small enough to be kept in memory (never true with a budget of 0). */
  accepts(file: MediaFile): boolean {
    return file.size > 0 && file.size <= this.maxFileBytes;
  }

  /** The whole content of `file`, from memory or read once through `openFiles`. Only for files it `accepts`. */
  async bytes(file: MediaFile, openFiles: OpenFileCache): Promise<Buffer> {
    const key = `${file.absolutePath}\n${file.etag}`;
    const cached = this.#entries.get(key);
    if (cached) {
      this.#hits += 1;
      // Re-inserted to mark it most recently used.
      this.#entries.delete(key);
      this.#entries.set(key, cached);
      return cached.bytes;
    }
    this.#misses += 1;
    const entry: Entry = { bytes: readWhole(file, openFiles), size: file.size };
    this.#entries.set(key, entry);
    this.#bytes += entry.size;
    this.#evictOverBudget(key);
    try {
      return await entry.bytes;
    } catch (error) {
      if (this.#entries.get(key) === entry) this.#remove(key, entry);
      throw error;
    }
  }

  /** Lookups served from memory (hits) or read from disk (misses), evictions, and files held now. */
  stats(): CacheStats {
    return { hits: this.#hits, misses: this.#misses, evictions: this.#evictions, entries: this.#entries.size };
  }

  /** Bytes held now (the sum of the sizes of the files held). */
  get heldBytes(): number {
    return this.#bytes;
  }

  #evictOverBudget(keep: string): void {
    for (const [key, entry] of this.#entries) {
      if (this.#bytes <= this.budgetBytes) return;
      if (key === keep) continue;
      this.#evictions += 1;
      this.#remove(key, entry);
    }
  }

  #remove(key: string, entry: Entry): void {
    this.#entries.delete(key);
    this.#bytes -= entry.size;
  }
}

/** Reads all of `file` with positional reads on a shared descriptor; a file shorter than its manifest says is a fault. */
async function readWhole(file: MediaFile, openFiles: OpenFileCache): Promise<Buffer> {
  const lease = await openFiles.acquire(file.absolutePath);
  try {
    const buffer = Buffer.allocUnsafeSlow(file.size);
    let offset = 0;
    while (offset < file.size) {
      const count = await new Promise<number>((resolve, reject) =>
        read(lease.fd, buffer, offset, file.size - offset, offset, (error, bytesRead) => (error ? reject(error) : resolve(bytesRead))),
      );
      if (count === 0) throw new Error(`${file.absolutePath} ended after ${offset} of ${file.size} bytes`);
      offset += count;
    }
    return buffer;
  } finally {
    lease.release();
  }
}
