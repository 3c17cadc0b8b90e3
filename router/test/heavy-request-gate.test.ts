import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '@cinema/kit/logging';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BalancedFetcher } from '../src/balancing/balanced-fetcher.js';
import { HeavyRequestGate } from '../src/balancing/heavy-request-gate.js';
import { OutlierDetector } from '../src/balancing/outlier-detector.js';
import { Replica } from '../src/balancing/replica.js';
import { RetryBudget } from '../src/balancing/retry-budget.js';
import { parseReplicaSource } from '../src/balancing/replica-source.js';
import type { ReplicaAnswer, ReplicaCall } from '../src/balancing/send-to-replica.js';
import { SubgraphUpstream } from '../src/balancing/subgraph-upstream.js';

/** A call the test answers by hand; records whether it was sent and how it was aborted. */
interface ManualCall extends ReplicaCall {
  id: string;
  aborted?: Error;
  finish(): void;
}

function manualCall(id: string, sent: string[]): () => ManualCall {
  return () => {
    sent.push(id);
    let resolve!: (answer: ReplicaAnswer) => void;
    let reject!: (error: unknown) => void;
    const answer = new Promise<ReplicaAnswer>((res, rej) => ((resolve = res), (reject = rej)));
    const call: ManualCall = {
      id,
      answer,
      abort(reason) {
        call.aborted = reason;
        reject(reason);
      },
      finish: () => resolve({ statusCode: 200, headers: {}, body: id }),
    };
    return call;
  };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

/** The ratings upstream of one replica at `url`, with the router's usual policy and the given heavy-request gate. */
function ratingsUpstream(url: string, heavyRequests: { minBytes: number; perReplica: number }): SubgraphUpstream {
  return new SubgraphUpstream({
    healthCheck: { intervalMs: 60_000, timeoutMs: 200, path: '/health' },
    ejection: { consecutiveFailures: 3, baseEjectionMs: 100, maxEjectionMs: 1_000 },
    retryBudget: { ratio: 0.1, minPerSecond: 10 },
    dnsRefreshMs: 60_000,
    connectionsPerReplica: 16,
    heavyRequests,
    subgraph: 'ratings',
    sources: [parseReplicaSource(url)],
    timeoutMs: 10_000,
    logger: createLogger('test', 'silent'),
  });
}

describe('HeavyRequestGate', () => {
  it('tells heavy bodies from light ones by size, and treats none as heavy when the limit is 0', () => {
    const gate = new HeavyRequestGate({ minBytes: 100, perReplica: 2 });
    expect(gate.isHeavy('x'.repeat(99))).toBe(false);
    expect(gate.isHeavy('x'.repeat(100))).toBe(true);
    expect(gate.isHeavy(Buffer.alloc(150))).toBe(true);
    expect(gate.isHeavy(null)).toBe(false);
    expect(new HeavyRequestGate({ minBytes: 100, perReplica: 0 }).isHeavy('x'.repeat(1_000))).toBe(false);
  });

  it('sends at most `perReplica` heavy requests at once and the rest in arrival order as answers come back; light ones never wait', async () => {
    const gate = new HeavyRequestGate({ minBytes: 100, perReplica: 2 });
    const sent: string[] = [];
    const calls = new Map<string, ManualCall>();
    const run = (id: string, heavy: boolean) => {
      const make = manualCall(id, sent);
      return gate.run(heavy, () => {
        const call = make();
        calls.set(id, call);
        return call;
      });
    };
    const h1 = run('h1', true);
    run('h2', true);
    const h3 = run('h3', true);
    run('h4', true);
    run('l1', false);
    expect(sent).toEqual(['h1', 'h2', 'l1']);
    expect(gate.inFlight).toBe(2);
    expect(gate.waiting).toBe(2);

    calls.get('h1')!.finish();
    expect((await h1.answer).body).toBe('h1');
    await flush();
    expect(sent).toEqual(['h1', 'h2', 'l1', 'h3']);
    calls.get('h2')!.finish();
    await flush();
    expect(sent).toEqual(['h1', 'h2', 'l1', 'h3', 'h4']);
    calls.get('h3')!.finish();
    expect((await h3.answer).body).toBe('h3');
    calls.get('h4')!.finish();
    await flush();
    expect(gate.inFlight).toBe(0);
    expect(gate.waiting).toBe(0);
  });

  it('drops a waiting request given up on without sending it, and frees the slot of a sent one that is aborted', async () => {
    const gate = new HeavyRequestGate({ minBytes: 100, perReplica: 1 });
    const sent: string[] = [];
    const first = gate.run(true, manualCall('first', sent));
    const waiting = gate.run(true, manualCall('waiting', sent));
    const third = gate.run(true, manualCall('third', sent));
    const gone = new Error('client gone');
    waiting.abort(gone);
    await expect(waiting.answer).rejects.toBe(gone);
    expect(gate.waiting).toBe(1);

    first.abort(new Error('outrun'));
    await first.answer.catch(() => {});
    await flush();
    // The aborted waiting request was never sent; the next one took the freed slot.
    expect(sent).toEqual(['first', 'third']);
    third.abort(new Error('done'));
    await third.answer.catch(() => {});
    expect(gate.inFlight).toBe(0);
  });
});

describe('heavy requests in the balanced fetcher', () => {
  afterEach(() => vi.useRealTimers());

  it('a fetch that times out while waiting for a heavy slot leaves the queue unsent and does not count against the replica', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const replica = new Replica('http://127.0.0.1:4100/graphql', { connections: 1, heavyRequests: { minBytes: 10, perReplica: 1 } });
    const sent: string[] = [];
    const fetcher = new BalancedFetcher({
      subgraph: 'ratings',
      replicas: () => [replica],
      detector: new OutlierDetector({ consecutiveFailures: 3, baseEjectionMs: 1_000, maxEjectionMs: 10_000 }, () => [replica], {
        ejected: () => {},
        readmitted: () => {},
      }),
      budget: new RetryBudget({ ratio: 0.1, minPerSecond: 10 }),
      timeoutMs: 1_000,
      hedge: { enabled: false, quantile: 0.95, minDelayMs: 20, maxDelayMs: 400 },
      logger: createLogger('test', 'silent'),
      call: (_replica, request) => manualCall(String(request.body), sent)(),
    });
    // Another request holds the replica's only heavy slot and is never answered.
    const holder = replica.gate.run(true, manualCall('holder', sent));
    const waiting = fetcher.start({ body: '{"query":"query Q__ratings__2{x}"}', headers: {}, readOnly: true }).answer.catch((error: unknown) => error);
    expect(sent).toEqual(['holder']);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await waiting).toMatchObject({ extensions: { code: 'SUBGRAPH_TIMEOUT' } });
    expect(sent).toEqual(['holder']);
    expect(replica.gate.waiting).toBe(0);
    // The replica never had the request: its deadline is no timeout of the replica's.
    expect(replica.failuresByKind.timeout).toBe(0);
    holder.abort(new Error('test over'));
    await holder.answer.catch(() => {});
    await replica.close();
  });
});

describe('heavy requests through a subgraph upstream (real HTTP)', () => {
  let server: Server | undefined;
  let upstream: SubgraphUpstream | undefined;

  afterEach(async () => {
    await upstream?.close();
    server?.closeAllConnections();
    server?.close();
  });

  it('a replica gets at most 2 large fetches at once, small ones pass, and an identical query merges with one waiting in the router', async () => {
    let concurrentHeavy = 0;
    let maxConcurrentHeavy = 0;
    const bodies: string[] = [];
    const held: { res: ServerResponse; heavy: boolean }[] = [];
    server = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString();
        bodies.push(body);
        const heavy = body.length >= 1_000;
        if (!heavy) return res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":{"light":true}}');
        concurrentHeavy += 1;
        maxConcurrentHeavy = Math.max(maxConcurrentHeavy, concurrentHeavy);
        held.push({ res, heavy });
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
    upstream = ratingsUpstream(url, { minBytes: 1_000, perReplica: 2 });
    const heavyBody = (n: number) =>
      JSON.stringify({
        query: 'query Q__ratings__2($representations:[_Any!]!){_entities(representations:$representations){...on Movie{averageRating}}}',
        variables: { representations: Array.from({ length: 40 }, (_, i) => ({ __typename: 'Movie', id: `${n}-${i}` })) },
      });
    const send = (body: string) => upstream!.send({ body, headers: { 'content-type': 'application/json' }, readOnly: true }, 'anonymous', undefined);

    const answers = [1, 2, 3, 4, 5].map((n) => send(heavyBody(n)));
    // The 5th fetch's twin, from another request of the same caller: it waits in the router, where it joins the 5th.
    answers.push(send(heavyBody(5)));
    // A fake upstream answers it; the text only has to be small, so it is not checked against the graph.
    const light = await send(JSON.stringify({ query: /* invalid GraphQL */ 'query Q__ratings__0{topRatedMovies{id}}' }));
    expect(await light.json()).toEqual({ data: { light: true } });
    await waitFor(() => held.length >= 2);
    expect(concurrentHeavy).toBe(2);

    // Answer the held ones as they come: the next waiting one is sent only when a slot frees.
    let answered = 0;
    while (answered < 5) {
      await waitFor(() => held.length > 0);
      const next = held.shift()!;
      concurrentHeavy -= 1;
      next.res.writeHead(200, { 'content-type': 'application/json' }).end(`{"data":{"n":${answered}}}`);
      answered += 1;
    }
    const results = await Promise.all(answers.map(async (answer) => (await answer).text()));
    expect(maxConcurrentHeavy).toBe(2);
    // 5 distinct large fetches reached the replica (the twin was merged), plus the light one.
    expect(bodies.filter((body) => body.length >= 1_000)).toHaveLength(5);
    expect(new Set(bodies.filter((body) => body.length >= 1_000)).size).toBe(5);
    expect(results[5]).toBe(results[4]);
    expect(upstream.stats().merged).toBe(1);
  });

  it('frees the heavy slot as soon as the answer starts to arrive, not when the router has read all of it', async () => {
    const held: ServerResponse[] = [];
    server = createServer((req: IncomingMessage, res) => {
      req.resume();
      req.on('end', () => held.push(res));
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
    upstream = ratingsUpstream(url, { minBytes: 100, perReplica: 1 });
    const body = (n: number) => JSON.stringify({ query: `query Q__ratings__${n}{x}`, variables: { pad: 'x'.repeat(100) } });
    const send = (n: number) => upstream!.send({ body: body(n), headers: { 'content-type': 'application/json' }, readOnly: true }, 'anonymous', undefined);
    const first = send(1);
    const second = send(2);
    await waitFor(() => held.length === 1);
    // The first answer starts (status line and part of the body) but does not end yet: the second may go now.
    held[0]!.writeHead(200, { 'content-type': 'application/json' });
    held[0]!.write('{"data":');
    await waitFor(() => held.length === 2);
    held[0]!.end('{"n":1}}');
    held[1]!.writeHead(200, { 'content-type': 'application/json' }).end('{"data":{"n":2}}');
    expect(await (await first).json()).toEqual({ data: { n: 1 } });
    expect(await (await second).json()).toEqual({ data: { n: 2 } });
    expect(upstream.replicas[0]!.gate.inFlight).toBe(0);
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  // Bounded by the test's own timeout; polls the event loop, no wall-clock assertion.
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}
