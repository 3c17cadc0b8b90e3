import { afterEach, describe, expect, it } from 'vitest';
import { ejectionBackoffMs, OutlierDetector, type EjectionPolicy } from '../src/balancing/outlier-detector.js';
import { Replica } from '../src/balancing/replica.js';

const policy: EjectionPolicy = { consecutiveFailures: 3, baseEjectionMs: 1_000, maxEjectionMs: 8_000 };
const created: Replica[] = [];
afterEach(async () => {
  await Promise.all(created.splice(0).map((r) => r.close()));
});

function setup(count = 2) {
  let now = 0;
  const replicas = Array.from({ length: count }, (_, i) => new Replica(`http://127.0.0.1:${i + 1}/graphql`, { connections: 1 }, 0));
  created.push(...replicas);
  const events: string[] = [];
  const detector = new OutlierDetector(
    policy,
    () => replicas,
    {
      ejected: (replica, reason, forMs) => events.push(`ejected ${replica.url} ${reason} ${forMs}`),
      readmitted: (replica) => events.push(`readmitted ${replica.url}`),
    },
    () => now,
  );
  return { replicas, detector, events, advance: (ms: number) => (now += ms) };
}

describe('ejectionBackoffMs', () => {
  it('doubles from the base and stops at the maximum', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => ejectionBackoffMs(n, policy))).toEqual([1_000, 2_000, 4_000, 8_000, 8_000, 8_000]);
  });
});

describe('OutlierDetector', () => {
  it('ejects at once on a refused connection', () => {
    const { replicas, detector } = setup();
    detector.failed(replicas[0]!, 'refused');
    expect(replicas[0]!.state).toBe('ejected');
  });

  it('ejects after consecutive timeouts, and a success in between starts the count again', () => {
    const { replicas, detector } = setup();
    const [a] = replicas as [Replica];
    detector.failed(a, 'timeout');
    detector.failed(a, 'status');
    detector.succeeded(a);
    detector.failed(a, 'timeout');
    detector.failed(a, 'reset');
    expect(a.state).toBe('healthy');
    detector.failed(a, 'timeout');
    expect(a.state).toBe('ejected');
  });

  it('does not eject the last healthy replica on suspicion alone, but does on proof', () => {
    const { replicas, detector } = setup();
    const [a, b] = replicas as [Replica, Replica];
    detector.failed(a, 'refused');
    for (let i = 0; i < 10; i++) detector.failed(b, 'timeout');
    expect(b.state).toBe('healthy');
    detector.failed(b, 'refused');
    expect(b.state).toBe('ejected');
  });

  it('probes an ejected replica only after its backoff; a failed probe doubles the backoff, a passing one readmits', () => {
    const { replicas, detector, events, advance } = setup();
    const [a] = replicas as [Replica];
    detector.failed(a, 'refused');
    expect(detector.isDueForProbe(a)).toBe(false);
    advance(1_000);
    expect(detector.isDueForProbe(a)).toBe(true);
    detector.probeFailed(a, 'refused');
    advance(1_999);
    expect(detector.isDueForProbe(a)).toBe(false);
    advance(1);
    detector.probeFailed(a, 'timeout');
    advance(4_000);
    detector.probeSucceeded(a);
    expect(a.state).toBe('healthy');
    expect(events).toEqual([
      'ejected http://127.0.0.1:1/graphql refused 1000',
      'ejected http://127.0.0.1:1/graphql refused 2000',
      'ejected http://127.0.0.1:1/graphql timeout 4000',
      'readmitted http://127.0.0.1:1/graphql',
    ]);
  });

  it('keeps growing the backoff for a replica that fails again soon after readmission, and forgives a long healthy stretch', () => {
    const { replicas, detector, advance } = setup();
    const [a] = replicas as [Replica];
    detector.failed(a, 'refused');
    advance(1_000);
    detector.probeSucceeded(a);
    advance(100);
    detector.failed(a, 'refused');
    expect(a.ejectedUntil).toBe(1_100 + 2_000);
    advance(2_000);
    detector.probeSucceeded(a);
    advance(policy.maxEjectionMs);
    detector.failed(a, 'refused');
    expect(a.ejections).toBe(1);
  });

  it('counts a probe timeout on a healthy replica as one suspicious failure', () => {
    const { replicas, detector } = setup();
    const [a] = replicas as [Replica];
    detector.probeFailed(a, 'timeout');
    detector.probeFailed(a, 'timeout');
    expect(a.state).toBe('healthy');
    detector.probeFailed(a, 'timeout');
    expect(a.state).toBe('ejected');
  });

  it('ejects a healthy replica whose health endpoint reports it unavailable', () => {
    const { replicas, detector } = setup(1);
    detector.probeFailed(replicas[0]!, 'unhealthy');
    expect(replicas[0]!.state).toBe('ejected');
  });
});
