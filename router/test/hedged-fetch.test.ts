import { createLogger } from '@cinema/kit/logging';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BalancedFetcher, OutrunError } from '../src/balancing/balanced-fetcher.js';
import { hedgeDelayMs, type HedgePolicy } from '../src/balancing/hedge-policy.js';
import { LatencyQuantile } from '../src/balancing/latency-quantile.js';
import { OutlierDetector } from '../src/balancing/outlier-detector.js';
import { Replica } from '../src/balancing/replica.js';
import { RetryBudget } from '../src/balancing/retry-budget.js';
import type { ReplicaAnswer, ReplicaCall } from '../src/balancing/send-to-replica.js';

const HEDGE: HedgePolicy = { enabled: true, quantile: 0.95, minDelayMs: 20, maxDelayMs: 400 };
const QUERY = { body: '{"query":"query Q__ratings__0{x}"}', headers: {}, readOnly: true };
const MUTATION = { body: '{"query":"mutation M__ratings__0{x}"}', headers: {}, readOnly: false };

interface SentAttempt {
  replica: Replica;
  aborted: Error | undefined;
  answer(body?: string): void;
}

describe('LatencyQuantile and the hedge delay', () => {
  it('waits the maximum until there are enough samples, then follows the percentile within its bounds', () => {
    const window = new LatencyQuantile(0.95, { minSamples: 20, refreshEvery: 1 });
    expect(hedgeDelayMs(window.value(), HEDGE)).toBe(400);
    for (let i = 1; i <= 100; i++) window.record(i);
    expect(window.value()).toBe(96);
    expect(hedgeDelayMs(window.value(), HEDGE)).toBe(96);
    for (let i = 0; i < 256; i++) window.record(2);
    expect(hedgeDelayMs(window.value(), HEDGE)).toBe(20);
    for (let i = 0; i < 256; i++) window.record(5_000);
    expect(hedgeDelayMs(window.value(), HEDGE)).toBe(400);
  });

  it('only looks at the recent window', () => {
    const window = new LatencyQuantile(0.5, { windowSize: 10, minSamples: 10, refreshEvery: 1 });
    for (let i = 0; i < 10; i++) window.record(1_000);
    for (let i = 0; i < 10; i++) window.record(10);
    expect(window.value()).toBe(10);
  });
});

describe('hedged subgraph fetches', () => {
  let replicas: Replica[];
  let sent: SentAttempt[];
  let detector: OutlierDetector;
  let hedgesDenied: number;

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    sent = [];
    hedgesDenied = 0;
  });

  afterEach(async () => {
    vi.useRealTimers();
    await Promise.all(replicas.map((replica) => replica.close()));
  });

  function fetcher(count = 2, options: { budget?: RetryBudget; hedge?: HedgePolicy; timeoutMs?: number } = {}): BalancedFetcher {
    replicas = Array.from({ length: count }, (_, i) => new Replica(`http://127.0.0.1:${4100 + i}/graphql`, { connections: 1 }));
    detector = new OutlierDetector({ consecutiveFailures: 3, baseEjectionMs: 1_000, maxEjectionMs: 10_000 }, () => replicas, {
      ejected: () => {},
      readmitted: () => {},
    });
    return new BalancedFetcher({
      subgraph: 'ratings',
      replicas: () => replicas,
      detector,
      budget: options.budget ?? new RetryBudget({ ratio: 0.1, minPerSecond: 10 }),
      timeoutMs: options.timeoutMs ?? 30_000,
      hedge: options.hedge ?? HEDGE,
      logger: createLogger('test', 'silent'),
      onHedgeDenied: () => (hedgesDenied += 1),
      // Always picks replica 0 first: it is the one the tests make slow.
      random: () => 0,
      call: (replica): ReplicaCall => {
        let settle!: { resolve: (answer: ReplicaAnswer) => void; reject: (error: unknown) => void };
        const answer = new Promise<ReplicaAnswer>((resolve, reject) => (settle = { resolve, reject }));
        const attempt: SentAttempt = {
          replica,
          aborted: undefined,
          answer: (body = `{"data":{"from":"${replica.url}"}}`) => settle.resolve({ statusCode: 200, headers: { 'content-type': 'application/json' }, body }),
        };
        sent.push(attempt);
        return {
          answer,
          abort: (reason) => {
            attempt.aborted = reason;
            settle.reject(reason);
          },
        };
      },
    });
  }

  it('sends a slow query to a second replica after the hedge delay; the first answer wins and the outrun attempt is aborted', async () => {
    const call = fetcher().start(QUERY);
    await vi.advanceTimersByTimeAsync(399);
    expect(sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(sent.map((attempt) => attempt.replica)).toEqual([replicas[0], replicas[1]]);
    sent[1]!.answer();
    expect(JSON.parse(await (await call.answer).text())).toEqual({ data: { from: replicas[1]!.url } });
    expect(sent[0]!.aborted).toBeInstanceOf(OutrunError);
    // Outrun by a later attempt: a timeout against the slow replica, which the picker and the ejection see.
    expect(replicas[0]).toMatchObject({ inFlight: 0, failures: 1, consecutiveFailures: 1 });
    expect(replicas[0]!.failuresByKind.timeout).toBe(1);
    expect(replicas[1]).toMatchObject({ inFlight: 0, failures: 0, hedges: 1 });
  });

  it('sends nothing more when the first replica answers within the delay', async () => {
    const call = fetcher().start(QUERY);
    await vi.advanceTimersByTimeAsync(100);
    sent[0]!.answer();
    await call.answer;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(sent).toHaveLength(1);
  });

  it('lets the first attempt win when it answers before the hedge; the hedge is aborted and blames nobody', async () => {
    const call = fetcher().start(QUERY);
    await vi.advanceTimersByTimeAsync(400);
    expect(sent).toHaveLength(2);
    sent[0]!.answer();
    await call.answer;
    expect(sent[1]!.aborted).toBeInstanceOf(OutrunError);
    expect(replicas.map((replica) => replica.failures)).toEqual([0, 0]);
    expect(replicas.map((replica) => replica.inFlight)).toEqual([0, 0]);
  });

  it('hedges after a high percentile of recent latency once it has been measured', async () => {
    const target = fetcher();
    // Answers that took 25 ms, as the fetcher records them.
    for (let i = 0; i < 40; i++) target.latency.record(25);
    expect(target.hedgeDelayMs()).toBe(25);
    sent = [];
    void target.start(QUERY);
    await vi.advanceTimersByTimeAsync(24);
    expect(sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(sent).toHaveLength(2);
    sent[1]!.answer();
  });

  it('with no healthy replica left, sends to one ejected only on suspicion, never to one proven down', async () => {
    const balanced = fetcher(2);
    const [suspected, down] = replicas as [Replica, Replica];
    // As the outlier detector leaves them: one ejected for a timeout (slow), one for a refused connection (down).
    Object.assign(suspected, { state: 'ejected', ejectedFor: 'timeout', ejectedUntil: performance.now() + 1_000 });
    Object.assign(down, { state: 'ejected', ejectedFor: 'refused', ejectedUntil: performance.now() + 500 });
    const call = balanced.start(QUERY);
    expect(sent.map((attempt) => attempt.replica)).toEqual([suspected]);
    sent[0]!.answer();
    expect((await call.answer).status).toBe(200);

    // Both proven down: it fails fast, as before.
    suspected.ejectedFor = 'unhealthy';
    await expect(balanced.start(QUERY).answer).rejects.toThrow(/ejected as down/);
    expect(sent).toHaveLength(1);
  });

  it('never hedges a mutation, nor a query with no other replica', async () => {
    const target = fetcher();
    const mutation = target.start(MUTATION);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(sent).toHaveLength(1);
    sent[0]!.answer();
    await mutation.answer;

    await Promise.all(replicas.map((replica) => replica.close()));
    sent = [];
    const alone = fetcher(1).start(QUERY);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(sent).toHaveLength(1);
    sent[0]!.answer();
    await alone.answer;
  });

  it('does not hedge once the retry budget is spent, and counts the hedge it refused', async () => {
    const budget = new RetryBudget({ ratio: 0, minPerSecond: 1 }, () => performance.now());
    const target = fetcher(2, { budget });
    const calls = [target.start(QUERY), target.start(QUERY)];
    await vi.advanceTimersByTimeAsync(400);
    // One hedge from the reserve of one per second, the other refused.
    expect(sent).toHaveLength(3);
    expect(hedgesDenied).toBe(1);
    for (const attempt of sent) if (!attempt.aborted) attempt.answer();
    await Promise.all(calls.map((call) => call.answer));
  });

  it('fails with SUBGRAPH_TIMEOUT at the fetch deadline, aborting every attempt', async () => {
    const call = fetcher(2, { timeoutMs: 2_000 }).start(QUERY);
    const outcome = call.answer.catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(1_999);
    expect(sent).toHaveLength(2);
    expect(sent.every((attempt) => attempt.aborted === undefined)).toBe(true);
    await vi.advanceTimersByTimeAsync(1);
    expect(await outcome).toMatchObject({ extensions: { code: 'SUBGRAPH_TIMEOUT', serviceName: 'ratings' } });
    expect(sent.every((attempt) => attempt.aborted !== undefined)).toBe(true);
    expect(replicas.map((replica) => replica.inFlight)).toEqual([0, 0]);
  });

  it('aborts every attempt when the caller gives up, without blaming a replica', async () => {
    const call = fetcher().start(QUERY);
    const outcome = call.answer.catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(400);
    const reason = new Error('client left');
    call.abort(reason);
    expect(await outcome).toBe(reason);
    expect(sent.map((attempt) => attempt.aborted)).toEqual([reason, reason]);
    expect(replicas.map((replica) => [replica.inFlight, replica.failures])).toEqual([
      [0, 0],
      [0, 0],
    ]);
    // No hedge or deadline fires afterwards.
    await vi.advanceTimersByTimeAsync(60_000);
    expect(sent).toHaveLength(2);
  });

  it('a hung replica is ejected after a few outrun attempts while every query is answered by the other', async () => {
    const target = fetcher();
    for (let i = 0; i < 3; i++) {
      const call = target.start(QUERY);
      await vi.advanceTimersByTimeAsync(400);
      sent.at(-1)!.answer();
      await call.answer;
      // The picker is forced onto replica 0 here; in production the latency it now shows steers traffic away at once.
    }
    expect(replicas[0]!.state).toBe('ejected');
    expect(replicas[1]!.state).toBe('healthy');
  });
});
