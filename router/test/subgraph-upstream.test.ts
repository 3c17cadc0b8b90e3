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
  it('spreads concurrent requests over the replicas by their in-flight load, and reports each on the health snapshot', async () => {
    const [a, b] = [await fakeReplica(), await fakeReplica()];
    // No hedging: on a loaded machine an answer can outlast the hedge delay, and a hedge would add a request.
    const target = upstream([a.url, b.url], { hedge: { enabled: false, quantile: 0.95, minDelayMs: 20, maxDelayMs: 1_000 } });
    for (let round = 0; round < 10; round++) {
      // The picker also weighs measured latency, which on a loaded machine can make either replica look "slow" and
      // starve it (that weighting has its own deterministic tests in pick-replica.test.ts). Forgetting it before each
      // round leaves in-flight load alone deciding: the four picks of a round are made before any answer comes back,
      // so they go a/b, then b/a (whichever is less loaded), whatever the random draws: exactly two each.
      for (const replica of target.replicas) replica.forgetLatency();
      for (const response of await Promise.all(Array.from({ length: 4 }, () => send(target)))) expect(response.status).toBe(200);
    }
    expect([a.received, b.received]).toEqual([20, 20]);
    expect(target.snapshot()).toEqual([
      expect.objectContaining({ url: a.url, state: 'healthy', inFlight: 0, requests: 20, failures: 0 }),
      expect.objectContaining({ url: b.url, state: 'healthy', inFlight: 0, requests: 20, failures: 0 }),
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
    // The hung replica never answers, so without the hedge this would end in SUBGRAPH_TIMEOUT after 10 s.
    expect((await send(target)).status).toBe(200);
    expect(live.received).toBe(1);
    // The outrun attempt counts against the hung replica, and its connection is closed so the subgraph can stop.
    expect(target.snapshot()[0]).toMatchObject({ failures: 1, inFlight: 0 });
    expect(target.snapshot()[1]).toMatchObject({ hedges: 1 });
    await expect.poll(() => hung.closed).toBe(1);
  });

  it('answers SUBGRAPH_TIMEOUT when every replica hangs, bounded by the fetch deadline', async () => {
    const hung = [await fakeReplica('hang'), await fakeReplica('hang')];
    const target = upstream(
      hung.map((replica) => replica.url),
      { timeoutMs: 100 },
    );
    const started = performance.now();
    expect(await codeOf(send(target))).toBe('SUBGRAPH_TIMEOUT');
    const elapsed = performance.now() - started;
    // Not before the deadline (timers never fire early); the upper bound is generous for a loaded machine: the hung
    // replicas would hold the request until the test's own 60 s timeout, so only the 100 ms deadline can end it.
    expect(elapsed).toBeGreaterThanOrEqual(99);
    expect(elapsed).toBeLessThan(10_000);
    // Every attempt the deadline cut off was aborted, so the replicas are not left working for nobody.
    await expect.poll(() => hung.reduce((sum, replica) => sum + replica.closed, 0)).toBe(hung.reduce((sum, replica) => sum + replica.received, 0));
  });

  it('fails fast with SUBGRAPH_UNAVAILABLE once every replica is ejected', async () => {
    const target = upstream([await deadUrl(), await deadUrl()]);
    expect(await codeOf(send(target))).toBe('SUBGRAPH_UNAVAILABLE');
    expect(target.snapshot().map((replica) => replica.state)).toEqual(['ejected', 'ejected']);
    const attempts = () => target.snapshot().reduce((sum, replica) => sum + replica.requests, 0);
    const before = attempts();
    expect(await codeOf(send(target))).toBe('SUBGRAPH_UNAVAILABLE');
    // Fast because nothing was attempted: no replica was sent the request (a count, not a clock).
    expect(attempts()).toBe(before);
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
    const target = upstream([resetting.url, live.url], {
      retryBudget: { ratio: 0, minPerSecond: 2 },
      ejection: { consecutiveFailures: 100, baseEjectionMs: 100, maxEjectionMs: 100 },
    });
    target.replicas[1]!.inFlight = 100;
    const outcomes = await Promise.all(
      Array.from({ length: 5 }, () =>
        send(target).then(
          (response) => response.status,
          () => 'failed',
        ),
      ),
    );
    expect(outcomes.filter((outcome) => outcome === 200)).toHaveLength(2);
    expect(target.stats().retriesDenied).toBe(3);
  });

  it('drains a replica DNS stops listing: the request it holds is answered there, and no new request goes to it', async () => {
    // Two replicas behind one name, on two loopback addresses with the same port, as DNS gives them.
    const held: (() => void)[] = [];
    const received = new Map<string, number>();
    const closedEarly = new Map<string, number>();
    const replicaServer = (address: string) => {
      const server = createServer((req, res) => {
        if (req.url === '/health') return void res.writeHead(200).end();
        received.set(address, (received.get(address) ?? 0) + 1);
        res.on('close', () => {
          if (!res.writableFinished) closedEarly.set(address, (closedEarly.get(address) ?? 0) + 1);
        });
        req.resume();
        const answer = () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: { from: address } }));
        // The leaving replica holds its first request until the test lets it answer.
        req.on('end', () => (address === '127.0.0.2' && held.length === 0 ? held.push(answer) : answer()));
      });
      servers.push(server);
      return server;
    };
    const staying = replicaServer('127.0.0.1');
    await new Promise<void>((resolve) => staying.listen(0, '127.0.0.1', resolve));
    const port = (staying.address() as AddressInfo).port;
    const leaving = replicaServer('127.0.0.2');
    await new Promise<void>((resolve, reject) => leaving.once('error', reject).listen(port, '127.0.0.2', resolve));
    let published = ['127.0.0.1', '127.0.0.2'];
    const target = new SubgraphUpstream({
      ...policy,
      dnsRefreshMs: 20,
      // No hedging: a hedge would answer the held request from the other replica and hide whether it was drained.
      hedge: { enabled: false, quantile: 0.95, minDelayMs: 20, maxDelayMs: 1_000 },
      subgraph: 'ratings',
      sources: [parseReplicaSource(`dns://replicas.test:${port}/graphql`)],
      timeoutMs: 10_000,
      logger: createLogger('test', 'silent'),
      resolve: () => Promise.resolve(published),
    });
    upstreams.push(target);
    await target.start();
    const leavingUrl = `http://127.0.0.2:${port}/graphql`;
    expect(target.snapshot().map((replica) => replica.url)).toContain(leavingUrl);
    // The leaving replica is the certain first pick.
    target.replicas.find((replica) => replica.url !== leavingUrl)!.inFlight = 100;
    const inFlight = send(target);
    await expect.poll(() => held.length).toBe(1);
    target.replicas.find((replica) => replica.url !== leavingUrl)!.inFlight = 0;

    published = ['127.0.0.1'];
    await expect.poll(() => target.snapshot().map((replica) => replica.url), { timeout: 10_000 }).toEqual([`http://127.0.0.1:${port}/graphql`]);
    for (let i = 0; i < 5; i++) expect(await (await send(target)).json()).toEqual({ data: { from: '127.0.0.1' } });
    held[0]!();
    // Answered by the replica that held it, on the connection it was sent on: not cut off and sent again elsewhere.
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { from: '127.0.0.2' } });
    expect([received.get('127.0.0.2'), closedEarly.get('127.0.0.2') ?? 0]).toEqual([1, 0]);
    expect(received.get('127.0.0.1')).toBe(5);
    expect(target.snapshot()[0]).toMatchObject({ retries: 0, failures: 0 });
    // Once its last request is answered, the router lets go of its connections to the retired replica.
    await expect
      .poll(() => new Promise<number>((resolve, reject) => leaving.getConnections((error, count) => (error ? reject(error) : resolve(count)))))
      .toBe(0);
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
