/**
 * When each entity tag was last invalidated, as positions on one clock shared by every router instance.
 *
 * An entry remembers the clock reading taken before its operation ran ({@link snapshot}); it is valid while none of
 * its tags was invalidated after that reading (see {@link check}). Taking the reading before
 * execution is what keeps a read that raced a write from caching the old value: the write's invalidation comes
 * after the reading, so the entry is born stale and never served. Nothing is deleted and no key is enumerated:
 * invalidating a tag is one small write that expires once every response it could affect has expired.
 */
export interface TagIndex {
  /** Whether the index can be used now; when false the router serves without the cache. */
  readonly available: boolean;
  /** The clock now, to store with an entry computed from here on; null when the index cannot answer. */
  snapshot(): Promise<number | null>;
  /**
   * Whether an entry is still valid: one computed after the clock reading `seq`, with these `tags`, and already
   * known to be valid as of clock position `validAt` (`seq` itself for an entry not checked since). Resolves with a
   * clock position as of which it is valid (pass it as `validAt` next time), `false` when one of its tags was
   * invalidated after `seq`, and null when the index cannot answer. The index is read after the call was made, so an
   * invalidation that finished before it, through any router instance, is always seen.
   *
   * Why `validAt`: the clock moves on every invalidation, so while it has not moved past the last position an entry
   * was found valid at, nothing can have invalidated it and its tags need not be read at all.
   */
  check(tags: readonly string[], seq: number, validAt: number): Promise<number | false | null>;
  /** Invalidates `tags`; resolves once every router instance would see it (or once it is queued, when failing). */
  invalidate(tags: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

/** A tag every entry carries implicitly: invalidating it invalidates everything (used after lost invalidations). */
export const ALL_ENTRIES_TAG = '*';
