/**
 * Nonces seen recently, each remembered until its own expiry, to refuse a signed request sent a second time.
 *
 * Entries are kept in arrival order, which is close to expiry order (expiry is the signer's timestamp plus a fixed
 * window), so expired ones are swept from the front in amortised constant time. At `maxEntries` the oldest entry
 * is dropped early: under a flood of authentic traffic the replay memory gets shorter rather than unbounded.
 */
export class NonceCache {
  readonly #expiries = new Map<string, number>();

  readonly #maxEntries: number;

  constructor(maxEntries: number) {
    this.#maxEntries = maxEntries;
  }

  /** Records `nonce` until `expiresAt`; false when it is already recorded (a replay). */
  remember(nonce: string, expiresAt: number, now: number): boolean {
    this.#sweep(now);
    const known = this.#expiries.get(nonce);
    if (known !== undefined && known > now) return false;
    if (this.#expiries.size >= this.#maxEntries) {
      const oldest = this.#expiries.keys().next();
      if (!oldest.done) this.#expiries.delete(oldest.value);
    }
    this.#expiries.set(nonce, expiresAt);
    return true;
  }

  get size(): number {
    return this.#expiries.size;
  }

  #sweep(now: number): void {
    for (const [nonce, expiresAt] of this.#expiries) {
      if (expiresAt > now) return;
      this.#expiries.delete(nonce);
    }
  }
}
