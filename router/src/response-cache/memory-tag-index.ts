import { ALL_ENTRIES_TAG, type TagIndex } from './tag-index.js';

/**
 * The {@link TagIndex} of a router without Redis: one process, so its clock is a counter and its records a map.
 * Records are dropped once older than `retentionMs` (the longest an entry they could affect lives).
 */
export class MemoryTagIndex implements TagIndex {
  readonly available = true;
  readonly #records = new Map<string, { seq: number; expiresAt: number }>();
  readonly #retentionMs: number;
  #clock = 0;

  constructor(retentionMs: number) {
    this.#retentionMs = retentionMs;
  }

  async snapshot(): Promise<number> {
    return this.#clock;
  }

  async check(tags: readonly string[], seq: number, validAt: number): Promise<number | false> {
    if (this.#clock <= validAt) return validAt;
    const now = Date.now();
    for (const tag of [...tags, ALL_ENTRIES_TAG]) {
      const record = this.#records.get(tag);
      if (record && record.expiresAt > now && record.seq > seq) return false;
    }
    return this.#clock;
  }

  async invalidate(tags: readonly string[]): Promise<void> {
    if (tags.length === 0) return;
    this.#clock += 1;
    const now = Date.now();
    const expiresAt = now + this.#retentionMs;
    for (const tag of tags) this.#records.set(tag, { seq: this.#clock, expiresAt });
    if (this.#records.size > 10_000)
      for (const [tag, record] of this.#records) if (record.expiresAt <= now && tag !== ALL_ENTRIES_TAG) this.#records.delete(tag);
  }

  async close(): Promise<void> {}
}
