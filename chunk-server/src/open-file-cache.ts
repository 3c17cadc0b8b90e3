import { close, createReadStream, open, read, type ReadStream } from 'node:fs';
import type { CacheStats } from '@cinema/kit/metrics';

/** A borrowed file descriptor; call `release` when the response using it has finished. */
export interface OpenFileLease {
  readonly fd: number;
  /** Streams bytes `start`..`end` (inclusive) with positional reads, leaving the shared descriptor open. */
  createReadStream(range: { start: number; end: number; highWaterMark?: number }): ReadStream;
  release(): void;
}

/**
 * File-system functions for streams over a shared descriptor. A ReadStream closes its descriptor when destroyed,
 * whatever `autoClose` says, and pipelines destroy streams whenever a viewer aborts; closing a shared descriptor
 * would break every other response using it, or worse, let the number be reused for another file. Closing is the
 * cache's job, so the stream's `close` does nothing.
 */
const SHARED_DESCRIPTOR_FS = {
  open,
  read,
  close: (_fd: number, callback: (error: NodeJS.ErrnoException | null) => void) => callback(null),
};

interface Entry {
  readonly fd: Promise<number>;
  refs: number;
  evicted: boolean;
}

/**
 * Keeps descriptors of recently served files open, like nginx's `open_file_cache`.
 *
 * Why: opening and closing a segment costs two thread-pool round trips per request, which profiling showed to be
 * about half of the chunk server's time per segment. Media files are immutable once ingested, so a descriptor can
 * be shared by concurrent responses (reads are positional) and kept until evicted. Eviction is least-recently-used
 * and never closes a descriptor a response is still reading; it is closed when the last lease is released.
 */
export class OpenFileCache {
  readonly #entries = new Map<string, Entry>();
  #closed = false;
  #hits = 0;
  #misses = 0;
  #evictions = 0;

  constructor(readonly maxOpen = 1024) {}

  async acquire(path: string): Promise<OpenFileLease> {
    let current = this.#entries.get(path);
    if (current) {
      this.#hits += 1;
      current.refs += 1;
      // Re-insert to mark it most recently used.
      this.#entries.delete(path);
      this.#entries.set(path, current);
    } else {
      this.#misses += 1;
      // Counted as borrowed before eviction runs, so the new entry can never evict itself.
      current = { fd: openReadOnly(path), refs: 1, evicted: this.#closed };
      if (!this.#closed) this.#entries.set(path, current);
      this.#evictIdle();
    }
    const entry = current;
    let fd: number;
    try {
      fd = await entry.fd;
    } catch (error) {
      entry.refs -= 1;
      if (this.#entries.get(path) === entry) this.#entries.delete(path);
      throw error;
    }
    let released = false;
    return {
      fd,
      createReadStream: ({ start, end, highWaterMark }) =>
        createReadStream('', { fd, fs: SHARED_DESCRIPTOR_FS, autoClose: false, start, end, ...(highWaterMark ? { highWaterMark } : {}) }),
      release: () => {
        if (released) return;
        released = true;
        entry.refs -= 1;
        if (entry.evicted && entry.refs === 0) closeQuietly(fd);
      },
    };
  }

  /** Lookups that found the file open (hits) or had to open it (misses), LRU evictions, and descriptors held now. */
  stats(): CacheStats {
    return { hits: this.#hits, misses: this.#misses, evictions: this.#evictions, entries: this.#entries.size };
  }

  /** Closes idle descriptors now and busy ones when their last lease is released; later leases are not cached. */
  close(): void {
    this.#closed = true;
    for (const [path, entry] of this.#entries) this.#evict(path, entry);
  }

  #evictIdle(): void {
    if (this.#entries.size <= this.maxOpen) return;
    for (const [path, entry] of this.#entries) {
      if (this.#entries.size <= this.maxOpen) return;
      if (entry.refs === 0) {
        this.#evictions += 1;
        this.#evict(path, entry);
      }
    }
  }

  #evict(path: string, entry: Entry): void {
    this.#entries.delete(path);
    entry.evicted = true;
    if (entry.refs === 0) entry.fd.then(closeQuietly, () => undefined);
  }
}

function openReadOnly(path: string): Promise<number> {
  return new Promise((resolve, reject) => open(path, 'r', (error, fd) => (error ? reject(error) : resolve(fd))));
}

function closeQuietly(fd: number): void {
  close(fd, () => undefined);
}
