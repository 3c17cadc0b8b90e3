import { describe, expect, it } from 'vitest';
import { WriteEpoch } from '../src/balancing/write-epoch.js';

describe('WriteEpoch', () => {
  it('advances on every write answered here, and on every newer invalidation clock reading (a write through another router)', () => {
    const writes = new WriteEpoch();
    expect(writes.current).toBe(0);
    writes.advance();
    expect(writes.current).toBe(1);
    writes.observeInvalidationClock(7);
    expect(writes.current).toBe(2);
    // The same reading again, an older one (a request that read the clock earlier), or none: nothing new happened.
    writes.observeInvalidationClock(7);
    writes.observeInvalidationClock(5);
    writes.observeInvalidationClock(undefined);
    expect(writes.current).toBe(2);
    writes.observeInvalidationClock(8);
    expect(writes.current).toBe(3);
  });
});
