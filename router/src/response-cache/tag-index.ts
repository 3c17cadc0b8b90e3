/**
 * When each entity tag was last invalidated, as positions on one clock shared by every router instance.
 *
 * An entry remembers the clock reading taken before its operation ran ({@link snapshot}); it is valid while none of
 * its tags was invalidated after that reading ({@link latest} ≤ the entry's reading). Taking the reading before
 * execution is what keeps a read that raced a write from caching the old value: the write's invalidation comes
 * after the reading, so the entry is born stale and never served. Nothing is deleted and no key is enumerated:
 * invalidating a tag is one small write that expires once every response it could affect has expired.
 */
export interface TagIndex {
  /** Whether the index can be used now; when false the router serves without the cache. */
  readonly available: boolean;
  /** The clock now, to store with an entry computed from here on; null when the index cannot answer. */
  snapshot(): Promise<number | null>;
  /** The latest invalidation among `tags` (0 for none); null when the index cannot answer. */
  latest(tags: readonly string[]): Promise<number | null>;
  /** Invalidates `tags`; resolves once every router instance would see it (or once it is queued, when failing). */
  invalidate(tags: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

/** A tag every entry carries implicitly: invalidating it invalidates everything (used after lost invalidations). */
export const ALL_ENTRIES_TAG = '*';
