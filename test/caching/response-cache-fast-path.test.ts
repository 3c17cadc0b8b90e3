import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEVELOPMENT_JWT_SECRET } from '../../router/src/config.js';
import { signDevToken } from '../../router/src/dev-token.js';
import { graphql } from '../support/graphql-client.js';
import { seedSmallCatalogue, startInProcessPlatform, type InProcessPlatform } from '../support/in-process-platform.js';
import { deleteTestKeys, testKeyPrefix } from '../support/redis-test-keys.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

/**
 * The response cache's HTTP-level fast path (router/src/response-cache/cache-hit-fast-path.ts): hits served before
 * the generic GraphQL server must be the very response the full path sends, see invalidations made through another
 * router instance at once, never cross identities, and still pass the rate limit.
 *
 * Two routers share one Redis prefix: `writer` (A) and `reader` (B). An entry A stored is, on B's first request, a
 * hit of the full path (B does not hold it yet); from then on B holds it and answers it on the fast path, which
 * `router_response_cache_fast_path_hits_total` counts.
 */
const STATS = `query Stats($id: ID!) { movie(id: $id) { id title averageRating ratingCount cast { person { name } } } }`;
const MINE = `query Mine($id: ID!) { movie(id: $id) { id title myRating } }`;
const RATE = `mutation Rate($id: ID!, $score: Int!) { rateMovie(movieId: $id, score: $score) { score } }`;
/** Requests per minute per client on the reader, for the rate limit test; the other tests stay well under it. */
const READER_RATE_LIMIT = 12;

const redisUrl = process.env.REDIS_URL;
const prefix = testKeyPrefix('cache-fast-path');
let database: TestDatabase;
let writer: InProcessPlatform;
let reader: InProcessPlatform;
let movieId: number;

beforeAll(async () => {
  if (!redisUrl) return;
  database = await createTestDatabase('cache_fast_path');
  await seedSmallCatalogue(database.url);
  // A generous Redis deadline: on a loaded machine the default 100 ms can be missed, which turns the cache off
  // (every request a BYPASS) for a while, and these tests are about what hits look like, not about fail-open.
  const shared = { REDIS_URL: redisUrl, CACHE_KEY_PREFIX: prefix, REDIS_COMMAND_TIMEOUT_MS: '5000' };
  writer = await startInProcessPlatform(database.url, { routerEnv: shared });
  reader = await startInProcessPlatform(database.url, { routerEnv: { ...shared, RATE_LIMIT: String(READER_RATE_LIMIT) } });
  movieId = Number((await graphql(writer.routerUrl, '{ movies(first: 1) { edges { node { id } } } }')).body.data.movies.edges[0].node.id);
});

afterAll(async () => {
  await reader?.stop();
  await writer?.stop();
  await database?.drop();
  if (redisUrl) await deleteTestKeys(redisUrl, prefix);
});

/** The response exactly as it came off the socket: status line, headers in order, body. */
async function rawPost(url: string, query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}): Promise<string> {
  const { hostname, port, pathname } = new URL(url);
  const body = JSON.stringify({ query, variables });
  const head = [
    `POST ${pathname} HTTP/1.1`,
    `host: ${hostname}:${port}`,
    'content-type: application/json',
    `content-length: ${Buffer.byteLength(body)}`,
    'connection: close',
  ];
  for (const [name, value] of Object.entries(headers)) head.push(`${name}: ${value}`);
  return new Promise((resolve, reject) => {
    // Written, not ended: the server closes the connection once it answered (`connection: close`).
    const socket = connect(Number(port), hostname, () => socket.write(`${head.join('\r\n')}\r\n\r\n${body}`));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.once('error', reject);
    socket.once('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

const headerOf = (raw: string, name: string): string | undefined =>
  raw
    .split('\r\n\r\n', 1)[0]!
    .split('\r\n')
    .find((line) => line.toLowerCase().startsWith(`${name}: `))
    ?.slice(name.length + 2);

/** A raw response with what differs between any two responses (date, request id, age) blanked out. */
const comparable = (raw: string): string =>
  raw
    .replace(/^date: .*$/im, 'date: -')
    .replace(/^x-request-id: .*$/im, 'x-request-id: -')
    .replace(/^age: \d+$/im, 'age: -')
    .replace(/max-age=\d+/i, 'max-age=-');

async function fastPathHits(router: InProcessPlatform): Promise<number> {
  const text = await (await fetch(router.routerUrl.replace(/\/graphql$/, '/metrics'))).text();
  return Number(/^router_response_cache_fast_path_hits_total (\d+)/m.exec(text)?.[1] ?? Number.NaN);
}

describe.skipIf(!redisUrl)('response cache hits served before the GraphQL server', () => {
  it('sends byte for byte the response the full path sends for the same hit', async () => {
    const id = String(movieId + 1);
    const miss = await rawPost(writer.routerUrl, STATS, { id });
    expect(headerOf(miss, 'x-cache')).toBe('MISS');

    const before = await fastPathHits(reader);
    const fullPathHit = await rawPost(reader.routerUrl, STATS, { id });
    expect(headerOf(fullPathHit, 'x-cache')).toBe('HIT');
    expect(await fastPathHits(reader)).toBe(before);

    const fastPathHit = await rawPost(reader.routerUrl, STATS, { id });
    expect(await fastPathHits(reader)).toBe(before + 1);
    expect(comparable(fastPathHit)).toBe(comparable(fullPathHit));
    // And the body is what the subgraphs produced on the miss.
    expect(fastPathHit.split('\r\n\r\n')[1]).toBe(miss.split('\r\n\r\n')[1]);
    // Age and the remaining max-age still add up to the entry's lifetime.
    expect(Number(headerOf(fastPathHit, 'age')) + Number(/max-age=(\d+)/.exec(headerOf(fastPathHit, 'cache-control')!)![1])).toBe(300);
    expect(headerOf(fastPathHit, 'cache-control')).toMatch(/, public$/);
  });

  it('answers a body it has seen by the body’s exact bytes: another spelling is the same entry, another id is not', async () => {
    const [first, second] = [String(movieId + 5), String(movieId + 6)];
    for (const id of [first, second]) expect((await graphql(writer.routerUrl, STATS, { id })).headers.get('x-cache')).toBe('MISS');
    // Bodies that differ in one byte (the id's last digit), and the first id spelled with other spacing.
    const spaced = STATS.replace('{ movie', '{\n  movie');
    // A caller of its own: the reader's rate limit counts anonymous requests per address, which the others share.
    const token = await signDevToken(`fast-bytes-${process.pid}`, DEVELOPMENT_JWT_SECRET);
    const post = (query: string, id: string) => rawPost(reader.routerUrl, query, { id }, { authorization: `Bearer ${token}` });
    const bodyOf = (raw: string) => JSON.parse(raw.split('\r\n\r\n')[1]!) as { data: { movie: { id: string } } };
    for (const [query, id] of [
      [STATS, first],
      [STATS, second],
      [spaced, first],
    ] as const)
      await post(query, id);
    const hits = await fastPathHits(reader);
    for (let round = 0; round < 2; round++) {
      for (const [query, id] of [
        [STATS, first],
        [STATS, second],
        [spaced, first],
      ] as const) {
        const raw = await post(query, id);
        expect(headerOf(raw, 'x-cache')).toBe('HIT');
        expect(bodyOf(raw).data.movie.id).toBe(id);
      }
    }
    expect(await fastPathHits(reader)).toBe(hits + 6);
  });

  it('sees an invalidation made through the other router as soon as the mutation returned', async () => {
    const id = String(movieId + 2);
    const read = async () => {
      const response = await graphql(reader.routerUrl, STATS, { id });
      expect(response.body.errors).toBeUndefined();
      return { cache: response.headers.get('x-cache'), ratingCount: response.body.data.movie.ratingCount as number };
    };
    const before = await read();
    await read();
    const hits = await fastPathHits(reader);
    expect(await read()).toEqual({ cache: 'HIT', ratingCount: before.ratingCount });
    expect(await fastPathHits(reader)).toBe(hits + 1);

    const token = await signDevToken(`fast-path-rater-${process.pid}`, DEVELOPMENT_JWT_SECRET);
    const rated = await graphql(writer.routerUrl, RATE, { id, score: 10 }, token);
    expect(rated.body.errors).toBeUndefined();

    expect(await read()).toEqual({ cache: 'MISS', ratingCount: before.ratingCount + 1 });
    expect(await fastPathHits(reader)).toBe(hits + 1);
  });

  it('never answers one identity with another identity’s PRIVATE entry', async () => {
    const id = String(movieId + 3);
    const [alice, bob] = await Promise.all([
      signDevToken(`fast-alice-${process.pid}`, DEVELOPMENT_JWT_SECRET),
      signDevToken(`fast-bob-${process.pid}`, DEVELOPMENT_JWT_SECRET),
    ]);
    expect((await graphql(writer.routerUrl, RATE, { id, score: 2 }, alice)).body.errors).toBeUndefined();
    await graphql(reader.routerUrl, MINE, { id }, alice);
    const hits = await fastPathHits(reader);
    const aliceHit = await graphql(reader.routerUrl, MINE, { id }, alice);
    expect(aliceHit.headers.get('x-cache')).toBe('HIT');
    expect(aliceHit.headers.get('cache-control')).toMatch(/, private$/);
    expect(aliceHit.body.data.movie.myRating).toBe(2);
    expect(await fastPathHits(reader)).toBe(hits + 1);

    const bobs = await graphql(reader.routerUrl, MINE, { id }, bob);
    expect(bobs.headers.get('x-cache')).toBe('MISS');
    expect(bobs.body.data.movie.myRating).toBeNull();
    const anonymous = await graphql(reader.routerUrl, MINE, { id });
    expect(anonymous.headers.get('x-cache')).toBe('MISS');
    expect(anonymous.body.data.movie.myRating).toBeNull();
    // A token that does not verify is refused as always, not answered from anyone's entry.
    const forged = await fetch(reader.routerUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${alice.slice(0, -4)}AAAA` },
      body: JSON.stringify({ query: MINE, variables: { id } }),
    });
    expect(forged.status).toBe(401);
    expect(forged.headers.get('x-cache')).not.toBe('HIT');
    expect(await fastPathHits(reader)).toBe(hits + 1);
  });

  it('applies the rate limit to hits', async () => {
    const id = String(movieId + 4);
    const token = await signDevToken(`fast-limited-${process.pid}`, DEVELOPMENT_JWT_SECRET);
    const statuses: string[] = [];
    // The bucket refills one token every 60 / READER_RATE_LIMIT s: however slow the machine, 8 more requests than
    // the burst cannot all be allowed unless they took over 40 s.
    for (let i = 0; i < READER_RATE_LIMIT + 8; i++) {
      const response = await graphql(reader.routerUrl, STATS, { id }, token);
      statuses.push(
        response.status === 200 ? (response.headers.get('x-cache') ?? '?') : (response.body.errors?.[0]?.extensions?.code ?? String(response.status)),
      );
    }
    expect(statuses.slice(0, READER_RATE_LIMIT)).toEqual(['MISS', ...Array(READER_RATE_LIMIT - 1).fill('HIT')]);
    expect(statuses.slice(READER_RATE_LIMIT)).toContain('RATE_LIMITED');
    expect(statuses.slice(READER_RATE_LIMIT).filter((status) => status !== 'HIT' && status !== 'RATE_LIMITED')).toEqual([]);
  });
});
