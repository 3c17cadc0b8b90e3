import { describe, expect, it } from 'vitest';
import { BoundedLoadRing } from '../src/bounded-load-ring.js';
import { seededRandom } from '../../../test/support/malformed-requests.js';

const replicas = ['http://chunk-1:4100', 'http://chunk-2:4100', 'http://chunk-3:4100'];

/** Movie ids drawn from a Zipf(s) law over `movies` titles: a few blockbusters, a long tail. */
function zipf(movies: number, s: number, rand: () => number): () => string {
  const cumulative: number[] = [];
  let sum = 0;
  for (let rank = 1; rank <= movies; rank += 1) cumulative.push((sum += 1 / rank ** s));
  return () => {
    const target = rand() * sum;
    let low = 0;
    let high = movies - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((cumulative[middle] as number) < target) low = middle + 1;
      else high = middle;
    }
    return `movie:${low + 1}`;
  };
}

describe('BoundedLoadRing', () => {
  it('keeps every replica within (1 + ε) of the average over 10,000 Zipf-distributed requests', () => {
    const ring = new BoundedLoadRing(replicas, { balanceFactor: 0.25 });
    const next = zipf(1000, 1.1, seededRandom(7));
    for (let request = 1; request <= 10_000; request += 1) {
      const replica = ring.pick(next());
      expect(replica).toBeDefined();
      ring.acquire(replica as string);
      const bound = Math.ceil((1.25 * request) / replicas.length);
      for (const r of replicas) expect(ring.load(r)).toBeLessThanOrEqual(bound);
    }
    const average = 10_000 / replicas.length;
    for (const r of replicas) expect(ring.load(r)).toBeLessThanOrEqual(Math.ceil(1.25 * average));
  });

  it('stays bounded with streams that start and end (a sliding window of concurrent viewers)', () => {
    const ring = new BoundedLoadRing(replicas, { balanceFactor: 0.25 });
    const next = zipf(1000, 1.1, seededRandom(11));
    const open: string[] = [];
    for (let request = 0; request < 10_000; request += 1) {
      if (open.length === 300) ring.release(open.shift() as string);
      const replica = ring.pick(next()) as string;
      ring.acquire(replica);
      open.push(replica);
      const total = replicas.reduce((sum, r) => sum + ring.load(r), 0);
      for (const r of replicas) expect(ring.load(r)).toBeLessThanOrEqual(Math.ceil((1.25 * total) / replicas.length));
    }
  });

  it('gives the same key the same replica while loads allow (cache locality)', () => {
    const ring = new BoundedLoadRing(replicas);
    const again = new BoundedLoadRing([...replicas].reverse());
    for (let movie = 0; movie < 200; movie += 1) expect(ring.pick(`movie:${movie}`)).toBe(again.pick(`movie:${movie}`));
  });

  it('moves only the removed replica’s keys', () => {
    const ring = new BoundedLoadRing(replicas);
    const keys = Array.from({ length: 2000 }, (_, i) => `movie:${i}`);
    const before = new Map(keys.map((key) => [key, ring.pick(key)]));
    const owned = new Set(replicas.map((r) => [...before.values()].filter((v) => v === r).length));
    expect(Math.min(...owned)).toBeGreaterThan(2000 / 3 / 2);

    ring.remove('http://chunk-2:4100');
    let moved = 0;
    for (const key of keys) {
      const after = ring.pick(key);
      expect(after).not.toBe('http://chunk-2:4100');
      if (before.get(key) === 'http://chunk-2:4100') moved += 1;
      else expect(after).toBe(before.get(key));
    }
    expect(moved).toBeGreaterThan(0);
  });

  it('moves only the removed replica’s keys under load, when the others have room', () => {
    const ring = new BoundedLoadRing(replicas, { balanceFactor: 0.25 });
    for (const r of replicas) for (let i = 0; i < 10; i += 1) ring.acquire(r);
    const keys = Array.from({ length: 500 }, (_, i) => `movie:${i}`);
    const before = new Map(keys.map((key) => [key, ring.pick(key)]));
    ring.remove('http://chunk-3:4100');
    // Two replicas at 10 each: capacity ceil(1.25 × 21 / 2) = 14, so both still have room.
    for (const key of keys) if (before.get(key) !== 'http://chunk-3:4100') expect(ring.pick(key)).toBe(before.get(key));
  });

  it('sends nothing to unhealthy replicas, and their keys come home on recovery', () => {
    const ring = new BoundedLoadRing(replicas);
    const keys = Array.from({ length: 1000 }, (_, i) => `movie:${i}`);
    const home = new Map(keys.map((key) => [key, ring.pick(key)]));
    ring.setHealthy('http://chunk-1:4100', false);
    for (const key of keys) {
      const replica = ring.pick(key) as string;
      expect(replica).not.toBe('http://chunk-1:4100');
      ring.acquire(replica);
    }
    expect(ring.load('http://chunk-1:4100')).toBe(0);
    ring.setHealthy('http://chunk-1:4100', true);
    for (const r of replicas) while (ring.load(r) > 0) ring.release(r);
    for (const key of keys) expect(ring.pick(key)).toBe(home.get(key));
  });

  it('spills a single blockbuster over several replicas instead of overloading one', () => {
    const ring = new BoundedLoadRing(replicas, { balanceFactor: 0.25 });
    const used = new Set<string>();
    for (let viewer = 0; viewer < 300; viewer += 1) {
      const replica = ring.pick('movie:blockbuster') as string;
      used.add(replica);
      ring.acquire(replica);
    }
    expect(used.size).toBe(3);
    for (const r of replicas) expect(ring.load(r)).toBeLessThanOrEqual(Math.ceil(1.25 * 100));
  });

  it('returns undefined when no replica can serve, and handles add/remove', () => {
    const ring = new BoundedLoadRing();
    expect(ring.pick('movie:1')).toBeUndefined();
    ring.add('solo');
    ring.add('solo');
    expect(ring.replicas).toEqual(['solo']);
    expect(ring.pick('movie:1')).toBe('solo');
    ring.setHealthy('solo', false);
    expect(ring.pick('movie:1')).toBeUndefined();
    ring.remove('solo');
    ring.release('solo');
    expect(ring.replicas).toEqual([]);
    expect(() => new BoundedLoadRing([], { balanceFactor: 0 })).toThrow(RangeError);
  });
});
