import { afterEach, describe, expect, it } from 'vitest';
import { LATENCY_MEMORY_MS, pickReplica } from '../src/balancing/pick-replica.js';
import { LATENCY_WARMUP_SAMPLES, Replica } from '../src/balancing/replica.js';

const created: Replica[] = [];
const replica = (port: number): Replica => {
  const made = new Replica(`http://127.0.0.1:${port}/graphql`, { connections: 1 }, 0);
  created.push(made);
  return made;
};
/** Gives a replica a settled latency record of `ms`, past its warm-up answers. */
const measured = (target: Replica, ms: number, at: number) => {
  for (let i = 0; i <= LATENCY_WARMUP_SAMPLES; i++) target.recordLatency(ms, at);
};
afterEach(async () => {
  await Promise.all(created.splice(0).map((r) => r.close()));
});

/** A seeded generator, so the distribution checks are deterministic. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

function shares(replicas: Replica[], picks: number, random: () => number, now = 0): number[] {
  const counts = replicas.map(() => 0);
  for (let i = 0; i < picks; i++) counts[replicas.indexOf(pickReplica(replicas, { now, random })!)]! += 1;
  return counts.map((count) => count / picks);
}

describe('pickReplica (power of two choices, least outstanding)', () => {
  it('returns nothing when no replica is healthy, so the caller can fail fast', () => {
    const [a, b] = [replica(1), replica(2)];
    a.state = 'ejected';
    b.state = 'ejected';
    expect(pickReplica([a, b], { now: 0 })).toBeUndefined();
    expect(pickReplica([], { now: 0 })).toBeUndefined();
  });

  it('never picks an ejected or excluded replica', () => {
    const [a, b, c] = [replica(1), replica(2), replica(3)];
    b.state = 'ejected';
    for (let i = 0; i < 200; i++) expect(pickReplica([a, b, c], { now: 0, exclude: a })).toBe(c);
  });

  it('spreads traffic evenly over equal replicas', () => {
    const replicas = [replica(1), replica(2), replica(3)];
    for (const share of shares(replicas, 6_000, seeded(7))) expect(share).toBeGreaterThan(0.28);
  });

  it('sends to the replica with fewer requests in flight', () => {
    const [a, b] = [replica(1), replica(2)];
    a.inFlight = 5;
    b.inFlight = 2;
    expect(shares([a, b], 100, seeded(1))).toEqual([0, 1]);
  });

  it('with three replicas, a busy one is picked only when drawn against nothing better', () => {
    const [busy, b, c] = [replica(1), replica(2), replica(3)];
    busy.inFlight = 10;
    expect(shares([busy, b, c], 3_000, seeded(3))[0]).toBe(0);
  });

  it('gives a replica far slower than its peers less traffic, even at light load', () => {
    const [slow, fast] = [replica(1), replica(2)];
    measured(slow, 200, 0);
    measured(fast, 20, 0);
    const [slowShare] = shares([slow, fast], 1_000, seeded(5), 1);
    expect(slowShare).toBeLessThan(0.05);
    // Load still counts: the slow replica wins once the fast one has ten times the requests in flight.
    fast.inFlight = 10;
    expect(pickReplica([slow, fast], { now: 1 })).toBe(slow);
  });

  it('forgets old latency, so a recovered replica gets traffic again', () => {
    const [slow, fast] = [replica(1), replica(2)];
    measured(slow, 200, 0);
    measured(fast, 20, LATENCY_MEMORY_MS);
    const [share] = shares([slow, fast], 2_000, seeded(9), LATENCY_MEMORY_MS + 1);
    expect(share).toBeGreaterThan(0.4);
  });

  it('ignores latency differences of a few milliseconds', () => {
    const [a, b] = [replica(1), replica(2)];
    measured(a, 9, 0);
    measured(b, 1, 0);
    expect(shares([a, b], 2_000, seeded(11), 1)[0]).toBeGreaterThan(0.4);
  });

  it("does not hold a new replica's slow first answers (new connections, cold code) against it", () => {
    const [fresh, settled] = [replica(1), replica(2)];
    measured(settled, 5, 0);
    for (let i = 0; i < LATENCY_WARMUP_SAMPLES; i++) fresh.recordLatency(150, 0);
    expect(shares([fresh, settled], 2_000, seeded(13), 1)[0]).toBeGreaterThan(0.4);
    fresh.recordLatency(150, 0);
    expect(shares([fresh, settled], 2_000, seeded(13), 1)[0]).toBeLessThan(0.05);
  });
});
