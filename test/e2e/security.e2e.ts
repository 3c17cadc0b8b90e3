import { connect } from 'node:net';
import { DEVELOPMENT_SUBGRAPH_SECRET } from '@cinema/kit/config';
import { SIGNATURE_HEADER, signRequest } from '@cinema/kit/signing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, graphql } from '../support/graphql-client.js';
import { malformedRequests } from '../support/malformed-requests.js';
import { scrapeMetrics, sumOf } from '../support/prometheus-text.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.js';

let database: TestDatabase;
let platform: TestPlatform;
let origin: string;

/** Requests the router has sent to subgraph replicas so far, from its `/health` report. */
const subgraphRequests = async (): Promise<number> => {
  const health = (await (await fetch(`${origin}/health`)).json()) as { subgraphs: Record<string, { requests: number }[]> };
  return Object.values(health.subgraphs)
    .flat()
    .reduce((sum, replica) => sum + replica.requests, 0);
};
const subgraph = (name: string) => platform.services.find((service) => service.name === name)!.url;

/** A request straight to a subgraph, with whatever proof (or none) the caller builds. */
const direct = async (url: string, body: string, headers: Record<string, string> = {}) => {
  const response = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const json = (await response.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
  return { status: response.status, data: json.data, codes: (json.errors ?? []).map((e) => e.extensions?.code) };
};
const signed = (body: string, headers: Record<string, string> = {}, secret = DEVELOPMENT_SUBGRAPH_SECRET, at = Date.now()) => ({
  ...headers,
  [SIGNATURE_HEADER]: signRequest(secret, { method: 'POST', path: '/graphql', headers, body }, at),
});

beforeAll(async () => {
  database = await createTestDatabase('e2e_security');
  platform = await startTestPlatform(database.url, { REPLICAS: '1', DEMO_VIDEOS: '0' });
  origin = new URL(platform.routerUrl).origin;
});

afterAll(async () => {
  await platform?.stop();
  await database?.drop();
});

describe('subgraphs answer the router only', () => {
  const SERVICE = JSON.stringify({ query: '{ _service { sdl } }' });
  const ENTITIES = JSON.stringify({
    query: 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Movie { id } } }',
    variables: { r: [{ __typename: 'Movie', id: '1' }] },
  });
  const ME = JSON.stringify({ query: '{ me { id } }' });

  it.each(['movies', 'people', 'ratings'])(
    '%s refuses requests without the router signature, _service and _entities included, with 401 and no data',
    async (name) => {
      for (const body of [SERVICE, ENTITIES]) {
        const answer = await direct(subgraph(name), body);
        expect(answer).toEqual({ status: 401, data: undefined, codes: ['ROUTER_SIGNATURE_REQUIRED'] });
      }
      // Health stays open for orchestrators' probes.
      expect((await fetch(`${subgraph(name)}/health`)).status).toBe(200);
    },
  );

  it.each(['movies', 'people', 'ratings'])('%s refuses a forged, stale or replayed signature with 403, and accepts a fresh one once', async (name) => {
    const url = subgraph(name);
    expect(await direct(url, SERVICE, signed(SERVICE, {}, 'f'.repeat(40)))).toMatchObject({
      status: 403,
      data: undefined,
      codes: ['ROUTER_SIGNATURE_INVALID'],
    });
    expect(await direct(url, SERVICE, signed(SERVICE, {}, DEVELOPMENT_SUBGRAPH_SECRET, Date.now() - 120_000))).toMatchObject({
      status: 403,
      codes: ['ROUTER_SIGNATURE_INVALID'],
    });
    const headers = signed(ENTITIES);
    const first = await direct(url, ENTITIES, headers);
    expect(first.status).toBe(200);
    expect(await direct(url, ENTITIES, headers)).toMatchObject({ status: 403, data: undefined, codes: ['ROUTER_SIGNATURE_INVALID'] });
  });

  it('lets nobody forge the forwarded identity: a user id added, or swapped, after signing is refused', async () => {
    const url = subgraph('ratings');
    expect(await direct(url, ME, { 'x-user-id': 'user-000001' })).toMatchObject({ status: 401, data: undefined });
    const asAlice = signed(ME, { 'x-user-id': 'alice' });
    expect(await direct(url, ME, { ...asAlice, 'x-user-id': 'user-000001' })).toMatchObject({ status: 403, data: undefined });
    const anonymous = signed(ME);
    expect(await direct(url, ME, { ...anonymous, 'x-user-id': 'user-000001' })).toMatchObject({ status: 403, data: undefined });
    expect(await direct(url, ME, asAlice)).toMatchObject({ status: 200, data: { me: { id: 'alice' } } });
  });

  it('protects the catalogue feed the ratings service reads the same way', async () => {
    const feed = `${subgraph('movies')}/feeds/catalogue?after=0&limit=1`;
    expect((await fetch(feed)).status).toBe(401);
    const path = '/feeds/catalogue?after=0&limit=1';
    const response = await fetch(feed, {
      headers: { [SIGNATURE_HEADER]: signRequest(DEVELOPMENT_SUBGRAPH_SECRET, { method: 'GET', path, headers: {}, body: null }) },
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { events: unknown[] }).events).toHaveLength(1);
  });

  it('still serves everything through the router, which signs each request', async () => {
    const response = await graphql(platform.routerUrl, 'query($g: String!) { topRatedMovies(genre: $g, limit: 2) { id title cast { person { name } } } }', {
      g: platform.genre,
    });
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data.topRatedMovies).toHaveLength(2);
  });
});

describe('accounts', () => {
  it('sign up and log in through the router, with a token the router then accepts', async () => {
    const SIGN_UP = 'mutation($e: String!, $p: String!) { signUp(email: $e, password: $p) { token expiresAt user { id } } }';
    const LOG_IN = 'mutation($e: String!, $p: String!) { logIn(email: $e, password: $p) { token user { id } } }';
    const created = await graphql(platform.routerUrl, SIGN_UP, { e: 'lin@example.com', p: 'a long enough password' });
    expect(created.body.errors).toBeUndefined();
    const { id } = created.body.data.signUp.user;
    expect(errorCodes(await graphql(platform.routerUrl, SIGN_UP, { e: 'LIN@example.com', p: 'another long password' }))).toEqual(['EMAIL_TAKEN']);
    expect(errorCodes(await graphql(platform.routerUrl, LOG_IN, { e: 'lin@example.com', p: 'not the password' }))).toEqual(['INVALID_CREDENTIALS']);
    const logged = await graphql(platform.routerUrl, LOG_IN, { e: 'lin@example.com', p: 'a long enough password' });
    const me = await graphql(platform.routerUrl, '{ me { id } }', undefined, logged.body.data.logIn.token);
    expect(me.body.data.me).toEqual({ id });
  });
});

describe('hostile queries through the real router', () => {
  it('are refused with their codes before any subgraph request', async () => {
    const before = await subgraphRequests();
    const deep = `{ me { ratings { edges { node { movie { ${'cast { person { movies { '.repeat(3)}title${' } } }'.repeat(3)} } } } } } }`;
    const cases: [unknown, string][] = [
      [{ query: deep }, 'QUERY_TOO_DEEP'],
      [{ query: '{ movies(first: 100) { edges { node { cast { person { movies { cast { person { name } } } } } } } } }' }, 'QUERY_TOO_COMPLEX'],
      [{ query: `{ ${Array.from({ length: 50 }, (_, i) => `a${i}: genres`).join(' ')} }` }, 'TOO_MANY_ALIASES'],
      [Array.from({ length: 20 }, () => ({ query: '{ genres }' })), 'BATCH_TOO_LARGE'],
      [{ query: `{ ${'genres '.repeat(3_000)}}` }, 'QUERY_TOO_LARGE'],
    ];
    for (const [body, code] of cases) {
      const response = await fetch(platform.routerUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(response.status, code).toBe(400);
      expect(JSON.stringify(await response.json()), code).toContain(code);
    }
    expect(await subgraphRequests()).toBe(before);
    // The counter does count: an ordinary query (one the response cache has not seen) moves it.
    await graphql(platform.routerUrl, `{ control${Date.now()}: genres }`);
    expect(await subgraphRequests()).toBeGreaterThan(before);
  });
});

describe('a fuzzed stream of malformed requests', () => {
  it('gets no 5xx, never crashes the router, and the router answers a valid query afterwards', { timeout: 120_000 }, async () => {
    const count = 3_000;
    const started = Date.now();
    const statuses = new Map<number, number>();
    const kinds = new Map<string, number>();
    const failures: string[] = [];
    const requests = malformedRequests(count, 20261124);
    const worker = async () => {
      for (let next = requests.next(); !next.done; next = requests.next()) {
        const request = next.value;
        kinds.set(request.kind, (kinds.get(request.kind) ?? 0) + 1);
        try {
          const response = await fetch(`${origin}${request.path}`, {
            method: request.method,
            headers: request.headers,
            ...(request.body !== undefined ? { body: request.body } : {}),
            signal: AbortSignal.timeout(10_000),
          });
          const answer = await response.text();
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          if (response.status >= 500) {
            const sent = typeof request.body === 'string' ? request.body.slice(0, 200) : `${request.body?.length ?? 0} bytes`;
            failures.push(`${response.status} ${request.kind} ${request.method} ${request.path.slice(0, 80)} ${sent} => ${answer.slice(0, 200)}`);
          }
        } catch (error) {
          // A refused oversized upload may reset the connection while the body is still being sent; that is not a 5xx.
          if (!(request.body && request.body.length > 1_000_000)) failures.push(`${request.kind}: ${(error as Error).message}`);
        }
        if (Date.now() - started > 90_000) throw new Error('fuzz run over its time budget');
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    // Raw garbage a client library would never send: the HTTP parser answers 400 and closes.
    for (const raw of [
      'GARBAGE\r\n\r\n',
      'TRACE /graphql HTTP/1.1\r\nHost: x\r\n\r\n',
      'GET /graphql HTTP/9.9\r\n\r\n',
      `POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n`,
      `GET /${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
    ]) {
      const reply = await rawExchange(new URL(origin), raw);
      // An answer, and a 4xx one: not a 5xx, and not silence.
      expect(reply, raw.slice(0, 40)).toMatch(/^HTTP\/1\.[01] 4\d\d /);
    }
    expect(failures.slice(0, 10)).toEqual([]);
    expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(count * 0.95);
    // Subscriptions, @defer, @stream and the rest went through too (about one request in 13), and the router's own
    // metrics counted no server error for any of it.
    expect(kinds.get('operation types and directives')).toBeGreaterThan(100);
    expect(sumOf(await scrapeMetrics(origin), 'http_server_request_duration_seconds_count', { status_class: '5xx' })).toBe(0);
    const router = platform.services.find((service) => service.name === 'router')!;
    expect(router.child.exitCode).toBeNull();
    const after = await graphql(platform.routerUrl, '{ genres }');
    expect([after.status, after.body.data.genres.length > 0]).toEqual([200, true]);
  });
});

/**
 * Sends raw bytes to the server and returns what it answered by the time it closed the connection. Rejects when
 * nothing came back (a connection error, or no close within 30 s: generous for a loaded machine), so a router that
 * is down or hangs cannot pass for one that answered.
 */
function rawExchange(url: URL, raw: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname, () => socket.end(raw));
    let reply = '';
    socket.setTimeout(30_000, () =>
      socket.destroy(new Error(`no close within 30 s after ${JSON.stringify(raw.slice(0, 40))}; got ${JSON.stringify(reply.slice(0, 80))}`)),
    );
    socket.on('data', (chunk) => (reply += chunk.toString('latin1')));
    socket.on('close', () => (reply ? resolve(reply) : reject(new Error(`connection closed without an answer to ${JSON.stringify(raw.slice(0, 40))}`))));
    // A reset right after the answer (the parser closes hard) still leaves the answer to judge.
    socket.on('error', (error) => (reply ? resolve(reply) : reject(error)));
  });
}
