import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '@cinema/kit/logging';
import { GraphQLError } from 'graphql';
import { afterEach, describe, expect, it } from 'vitest';
import { parseReplicaSource } from '../src/balancing/replica-source.js';
import { SubgraphUpstream, type UpstreamPolicy } from '../src/balancing/subgraph-upstream.js';

/** What a fake replica does with a GraphQL request. */
type Behaviour = 'answer' | 'hang' | 'reset' | 'fail500';

interface FakeReplica {
  url: string;
  server: Server;
  behaviour: Behaviour;
  healthy: boolean;
  /** GraphQL requests received (not health probes). */
  received: number;
  /** GraphQL requests whose connection closed before they were answered. */
  closed: number;
}

const servers: Server[] = [];
const upstreams: SubgraphUpstream[] = [];

afterEach(async () => {
  await Promise.all(upstreams.splice(0).map((upstream) => upstream.close()));
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});

async function fakeReplica(behaviour: Behaviour = 'answer'): Promise<FakeReplica> {
  const replica: FakeReplica = { url: '', server: undefined as never, behaviour, healthy: true, received: 0, closed: 0 };
  replica.server = createServer((req, res) => {
    if (req.url === '/health') {
      res.writeHead(replica.healthy ? 200 : 503).end();
      return;
    }
    replica.received += 1;
    res.on('close', () => {
      if (!res.writableFinished) replica.closed += 1;
    });
    req.resume();
    req.on('end', () => {
      if (replica.behaviour === 'hang') return;
      if (replica.behaviour === 'reset') return req.socket.destroy();
      if (replica.behaviour === 'fail500') return res.writeHead(500, { 'content-type': 'application/json' }).end('{"errors":[{"message":"boom"}]}');
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: { from: replica.url } }));
    });
  });
  servers.push(replica.server);
  await new Promise<void>((resolve) => replica.server.listen(0, '127.0.0.1', resolve));
  replica.url = `http://127.0.0.1:${(replica.server.address() as AddressInfo).port}/graphql`;
  return replica;
}

/** A URL nothing listens on: the connection is refused. */
async function deadUrl(): Promise<string> {
  const replica = await fakeReplica();
  await new Promise((resolve) => replica.server.close(resolve));
  return replica.url;
}

const policy: UpstreamPolicy = {
  healthCheck: { intervalMs: 60_000, timeoutMs: 200, path: '/health' },
  ejection: { consecutiveFailures: 3, baseEjectionMs: 100, maxEjectionMs: 1_000 },
  retryBudget: { ratio: 0.1, minPerSecond: 10 },
  dnsRefreshMs: 60_000,
  connectionsPerReplica: 16,
};

function upstream(urls: string[], overrides: Partial<UpstreamPolicy> & { timeoutMs?: number } = {}): SubgraphUpstream {
  const made = new SubgraphUpstream({
    ...policy,
    ...overrides,
    subgraph: 'ratings',
    sources: urls.map(parseReplicaSource),
    // Long by default, as in production: only the tests about the deadline set a short one.
    timeoutMs: overrides.timeoutMs ?? 10_000,
    logger: createLogger('test', 'silent'),
  });
  upstreams.push(made);
  return made;
}

const QUERY = JSON.stringify({ query: /* invalid GraphQL */ 'query Q__ratings__0{from}', variables: {} });
const MUTATION = JSON.stringify({ query: 'mutation M__ratings__0{rateMovie(movieId:"1",score:5){score}}', variables: {} });
const send = (target: SubgraphUpstream, body = QUERY) =>
  target.fetcher.fetch('http://ignored.invalid/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body });

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(GraphQLError);
  expect((error as GraphQLError).message).toContain('"ratings"');
  expect((error as GraphQLError).extensions.serviceName).toBe('ratings');
  return (error as GraphQLError).extensions.code as string;
}

describe('SubgraphUpstream fetcher', () => {
  it('spreads requests over the replicas and reports each on the health snapshot', async () => {
    const [a, b] = [await fakeReplica(), await fakeReplica()];
    const target = upstream([a.url, b.url]);
    for (let round = 0; round < 10; round++) {
      for (const response of await Promise.all(Array.from({ length: 4 }, () => send(target)))) expect(response.status).toBe(200);
    }
    expect(a.received).toBeGreaterThan(5);
    expect(b.received).toBeGreaterThan(5);
    expect(target.snapshot()).toEqual([
      expect.objectContaining({ url: a.url, state: 'healthy', inFlight: 0, requests: a.received, failures: 0 }),
      expect.objectContaining({ url: b.url, state: 'healthy', inFlight: 0, requests: b.received, failures: 0 }),
    ]);
  });

  it('retries a query on another replica when one is dead, and ejects the dead one', async () => {
    const live = await fakeReplica();
    const dead = await deadUrl();
    const target = upstream([dead, live.url]);
    for (let i = 0; i < 10; i++) expect((await send(target)).status).toBe(200);
    expect(live.received).toBe(10);
    const [deadReplica] = target.snapshot();
    expect(deadReplica).toMatchObject({ url: dead, state: 'ejected', failures: 1 });
  });

  it('retries a mutation only when the connection was refused, never after it may have reached a replica', async () => {
    const refusing = await deadUrl();
    const live = await fakeReplica();
    expect((await send(upstream([refusing, live.url]), MUTATION)).status).toBe(200);

    const resetting = await fakeReplica('reset');
    const other = await fakeReplica();
    const target = upstream([resetting.url, other.url]);
    // Make the resetting replica the certain first pick.
    target.replicas[1]!.inFlight = 100;
    expect(await codeOf(send(target, MUTATION))).toBe('SUBGRAPH_REQUEST_FAILED');
    expect(resetting.received).toBe(1);
    expect(other.received).toBe(0);
    // The same failure on a query is retried.
    expect((await send(target, QUERY)).status).toBe(200);
    expect(other.received).toBe(1);
  });

  it('hedges a query a hung replica holds: another replica answers after the hedge delay, the hung attempt is aborted', async () => {
    const hung = await fakeReplica('hang');
    const live = await fakeReplica();
    const target = upstream([hung.url, live.url], { timeoutMs: 10_000, hedge: { enabled: true, quantile: 0.95, minDelayMs: 20, maxDelayMs: 50 } });
    target.replicas[1]!.inFlight = 100;
    const started = performance.now();
    expect((await send(target)).status).toBe(200);
    // Far below the 10 s deadline: the hedge went out after 50 ms (generous bound for a loaded machine).
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(live.received).toBe(1);
    // The outrun attempt counts against the hung replica, and its connection is closed so the subgraph can stop.
    expect(target.snapshot()[0]).toMatchObject({ failures: 1, inFlight: 0 });
    expect(target.snapshot()[1]).toMatchObject({ hedges: 1 });
    await expect.poll(() => hung.closed).toBe(1);
  });

  it('answers SUBGRAPH_TIMEOUT when every replica hangs, bounded by the fetch deadline', async () => {
    const target = upstream([(await fakeReplica('hang')).url, (await fakeReplica('hang')).url], { timeoutMs: 100 });
    const started = performance.now();
    expect(await codeOf(send(target))).toBe('SUBGRAPH_TIMEOUT');
    expect(performance.now() - started).toBeLessThan(350);
  });

  it('fails fast with SUBGRAPH_UNAVAILABLE once every replica is ejected', async () => {
    const target = upstream([await deadUrl(), await deadUrl()]);
    expect(await codeOf(send(target))).toBe('SUBGRAPH_UNAVAILABLE');
    expect(target.snapshot().map((replica) => replica.state)).toEqual(['ejected', 'ejected']);
    const started = performance.now();
    expect(await codeOf(send(target))).toBe('SUBGRAPH_UNAVAILABLE');
    expect(performance.now() - started).toBeLessThan(20);
  });

  it('retries a 5xx query elsewhere, and hands a 5xx it cannot retry back to the data source', async () => {
    const failing = await fakeReplica('fail500');
    const live = await fakeReplica();
    const target = upstream([failing.url, live.url]);
    target.replicas[1]!.inFlight = 100;
    expect((await send(target)).status).toBe(200);
    expect((await send(upstream([failing.url]))).status).toBe(500);
  });

  it('stops retrying once the retry budget is spent', async () => {
    const resetting = await fakeReplica('reset');
    const live = await fakeReplica();
    const target = upstream([resetting.url, live.url], { retryBudget: { ratio: 0, minPerSecond: 2 }, ejection: { consecutiveFailures: 100, baseEjectionMs: 100, maxEjectionMs: 100 } });
    target.replicas[1]!.inFlight = 100;
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => send(target).then((response) => response.status, () => 'failed')));
    expect(outcomes.filter((outcome) => outcome === 200)).toHaveLength(2);
    expect(target.stats().retriesDenied).toBe(3);
  });

  it('probes replicas: a 503 from /health ejects, a 200 after the backoff readmits', async () => {
    const a = await fakeReplica();
    const b = await fakeReplica();
    const target = upstream([a.url, b.url], { healthCheck: { intervalMs: 20, timeoutMs: 200, path: '/health' } });
    await target.start();
    a.healthy = false;
    // Generous: probes every 20 ms, but a loaded machine can delay them.
    await expect.poll(() => target.snapshot()[0]!.state, { timeout: 10_000 }).toBe('ejected');
    a.healthy = true;
    await expect.poll(() => target.snapshot()[0]!.state, { timeout: 10_000 }).toBe('healthy');
  });
});
