import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEVELOPMENT_JWT_SECRET } from '../../router/src/config.js';
import { signDevToken } from '../../router/src/dev-token.js';
import { graphql } from '../support/graphql-client.js';
import { seedSmallCatalogue, startInProcessPlatform, type InProcessPlatform } from '../support/in-process-platform.js';
import { deleteTestKeys, testKeyPrefix } from '../support/redis-test-keys.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const MOVIE = `query Movie($id: ID!) { movie(id: $id) { title averageRating ratingCount cast { person { name } } } }`;
const MINE = `query Mine($id: ID!) { movie(id: $id) { id title myRating } }`;
const RATE = `mutation Rate($id: ID!, $score: Int!) { rateMovie(movieId: $id, score: $score) { score } }`;

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase('response_cache');
  await seedSmallCatalogue(database.url);
});

afterAll(async () => {
  await database?.drop();
});

async function post(url: string, query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

const stores = [
  { name: 'in-process store', env: (): Record<string, string> => ({}) },
  ...(process.env.REDIS_URL
    ? [{ name: 'Redis store', env: (): Record<string, string> => ({ REDIS_URL: process.env.REDIS_URL!, CACHE_KEY_PREFIX: prefix }) }]
    : []),
];
const prefix = testKeyPrefix('response-cache');

describe.each(stores)('the router response cache ($name)', ({ env }) => {
  let platform: InProcessPlatform;
  let uncached: InProcessPlatform;
  let movieId: string;

  beforeAll(async () => {
    platform = await startInProcessPlatform(database.url, { routerEnv: env() });
    uncached = await startInProcessPlatform(database.url, { routerEnv: { RESPONSE_CACHE: 'false' } });
    movieId = (await graphql(platform.routerUrl, '{ movies(first: 1) { edges { node { id } } } }')).body.data.movies.edges[0].node.id;
  });

  afterAll(async () => {
    await platform?.stop();
    await uncached?.stop();
    if (process.env.REDIS_URL) await deleteTestKeys(process.env.REDIS_URL, prefix);
  });

  it('answers a repeated query from the cache with the very bytes the subgraphs produced, and no SQL', async () => {
    const id = String(Number(movieId) + 1);
    const first = await post(platform.routerUrl, MOVIE, { id });
    expect(first.headers.get('x-cache')).toBe('MISS');
    expect(first.headers.get('cache-control')).toBe('max-age=300, public');
    platform.resetStatements();
    const second = await post(platform.routerUrl, MOVIE, { id });
    expect(second.headers.get('x-cache')).toBe('HIT');
    // Present and a whole number of seconds (Number(null) would be 0: a missing header must fail here).
    expect(second.headers.get('age')).toMatch(/^\d+$/);
    expect(second.text).toBe(first.text);
    expect(platform.statements()).toEqual({ movies: 0, people: 0, ratings: 0, viewing: 0 });
    // Exactly what a router without the cache answers: the keys added to learn the entities are gone.
    expect(first.text).toBe((await post(uncached.routerUrl, MOVIE, { id })).text);
    expect(first.text).not.toContain('__cache');
  });

  it('keys by the normalised operation and variables, not by spacing or variable order', async () => {
    const id = String(Number(movieId) + 2);
    await post(platform.routerUrl, `query Two($id: ID!, $n: Int) { movie(id: $id) { title } movies(first: $n) { edges { node { id } } } }`, { id, n: 2 });
    const again = await post(
      platform.routerUrl,
      `query Two($id: ID!, $n: Int) {\n  movie(id: $id) {\n    title # the title\n  }\n  movies(first: $n) { edges { node { id } } }\n}`,
      { n: 2, id },
    );
    expect(again.headers.get('x-cache')).toBe('HIT');
  });

  it('lets a client bypass the cache with Cache-Control: no-cache', async () => {
    const id = String(Number(movieId) + 3);
    await post(platform.routerUrl, MOVIE, { id });
    const bypassed = await post(platform.routerUrl, MOVIE, { id }, { 'cache-control': 'no-cache' });
    expect(bypassed.headers.get('x-cache')).toBe('BYPASS');
  });

  it('leaves persisted queries to Apollo: their hash names the text as the client sent it', async () => {
    const query = '{ genres }';
    const sha256Hash = createHash('sha256').update(query).digest('hex');
    const response = await fetch(platform.routerUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, extensions: { persistedQuery: { version: 1, sha256Hash } } }),
    });
    expect(response.headers.get('x-cache')).toBe('BYPASS');
    expect(((await response.json()) as { errors?: unknown }).errors).toBeUndefined();
  });

  it('never stores a response with errors', async () => {
    const missing = await post(platform.routerUrl, MOVIE, { id: '999999' });
    expect(JSON.parse(missing.text).errors[0].extensions.code).toBe('NOT_FOUND');
    const again = await post(platform.routerUrl, MOVIE, { id: '999999' });
    expect(again.headers.get('x-cache')).toBe('MISS');
  });

  it('does not cache what the hints forbid (maxAge 0: the signed-in user), nor mutations', async () => {
    const token = await signDevToken('viewer-max-age-0', DEVELOPMENT_JWT_SECRET);
    // `User` is @cacheControl(maxAge: 0): an answer without errors, so only the hint can keep it out of the cache.
    const me = `query Me { me { id } }`;
    const first = await post(platform.routerUrl, me, {}, { authorization: `Bearer ${token}` });
    expect(JSON.parse(first.text)).toEqual({ data: { me: { id: 'viewer-max-age-0' } } });
    expect(first.headers.get('x-cache')).toBe('MISS');
    const again = await post(platform.routerUrl, me, {}, { authorization: `Bearer ${token}` });
    expect(JSON.parse(again.text)).toEqual({ data: { me: { id: 'viewer-max-age-0' } } });
    expect(again.headers.get('x-cache')).toBe('MISS');
    const rate = await post(platform.routerUrl, RATE, { id: movieId, score: 5 }, { authorization: `Bearer ${token}` });
    expect(JSON.parse(rate.text).errors).toBeUndefined();
    expect(rate.headers.get('x-cache')).toBe('BYPASS');
  });

  it('keeps PRIVATE data per user: each user gets their own myRating, cached for them alone', async () => {
    const id = String(Number(movieId) + 4);
    const [alice, bob] = await Promise.all([signDevToken('cache-alice', DEVELOPMENT_JWT_SECRET), signDevToken('cache-bob', DEVELOPMENT_JWT_SECRET)]);
    await post(platform.routerUrl, RATE, { id, score: 3 }, { authorization: `Bearer ${alice}` });
    await post(platform.routerUrl, RATE, { id, score: 9 }, { authorization: `Bearer ${bob}` });
    for (let round = 0; round < 2; round++) {
      const a = await post(platform.routerUrl, MINE, { id }, { authorization: `Bearer ${alice}` });
      const b = await post(platform.routerUrl, MINE, { id }, { authorization: `Bearer ${bob}` });
      const anonymous = await post(platform.routerUrl, MINE, { id });
      expect(JSON.parse(a.text).data.movie.myRating).toBe(3);
      expect(JSON.parse(b.text).data.movie.myRating).toBe(9);
      expect(JSON.parse(anonymous.text).data.movie.myRating).toBeNull();
      expect(a.headers.get('cache-control')).toMatch(/private$/);
      if (round === 1) expect([a, b, anonymous].map((r) => r.headers.get('x-cache'))).toEqual(['HIT', 'HIT', 'HIT']);
    }
  });

  it('shows a new rating at once: rateMovie invalidates the movie even when its response names no movie', async () => {
    const id = String(Number(movieId) + 5);
    const before = JSON.parse((await post(platform.routerUrl, MOVIE, { id })).text).data.movie;
    expect((await post(platform.routerUrl, MOVIE, { id })).headers.get('x-cache')).toBe('HIT');
    const token = await signDevToken(`rater-${Date.now()}`, DEVELOPMENT_JWT_SECRET);
    // RATE selects only the score: the ratings subgraph names the movie it changed (extensions.changedEntities).
    await post(platform.routerUrl, RATE, { id, score: 10 }, { authorization: `Bearer ${token}` });
    const after = await post(platform.routerUrl, MOVIE, { id });
    expect(after.headers.get('x-cache')).toBe('MISS');
    expect(JSON.parse(after.text).data.movie.ratingCount).toBe(before.ratingCount + 1);
  });

  it('counts hits, misses, bypasses and invalidations on /metrics', async () => {
    const text = await (await fetch(platform.routerUrl.replace(/\/graphql$/, '/metrics'))).text();
    const value = (pattern: RegExp) => Number(pattern.exec(text)?.[1] ?? 0);
    expect(value(/^router_response_cache_requests_total\{result="hit"\} (\d+)/m)).toBeGreaterThan(0);
    expect(value(/^router_response_cache_requests_total\{result="miss"\} (\d+)/m)).toBeGreaterThan(0);
    expect(value(/^router_response_cache_requests_total\{result="bypass"\} (\d+)/m)).toBeGreaterThan(0);
    expect(value(/^router_response_cache_invalidations_total (\d+)/m)).toBeGreaterThan(0);
    expect(value(/^cache_requests_total\{cache="router_response",result="hit"\} (\d+)/m)).toBeGreaterThan(0);
  });

  it('runs concurrent identical misses once (single flight)', async () => {
    const id = String(Number(movieId) + 6);
    platform.resetStatements();
    const responses = await Promise.all(Array.from({ length: 20 }, () => post(platform.routerUrl, MOVIE, { id })));
    expect(new Set(responses.map((r) => r.text)).size).toBe(1);
    expect(responses.filter((r) => r.headers.get('x-cache') === 'MISS')).toHaveLength(1);
    // One execution: the movies subgraph read the film once.
    expect(platform.statements().movies).toBe(1);
  });
});

/**
 * The variant above keeps recently used entries in the router's own memory too, so its hits never need Redis. A
 * second router on the same Redis prefix has nothing in memory: what it finds came from Redis.
 */
describe.skipIf(!process.env.REDIS_URL)('the router response cache shared through Redis', () => {
  const sharedPrefix = testKeyPrefix('response-cache-shared');
  const env = (): Record<string, string> => ({ REDIS_URL: process.env.REDIS_URL!, CACHE_KEY_PREFIX: sharedPrefix });
  let first: InProcessPlatform;
  let second: InProcessPlatform;

  beforeAll(async () => {
    [first, second] = await Promise.all([
      startInProcessPlatform(database.url, { routerEnv: env() }),
      startInProcessPlatform(database.url, { routerEnv: env() }),
    ]);
  });

  afterAll(async () => {
    await first?.stop();
    await second?.stop();
    await deleteTestKeys(process.env.REDIS_URL!, sharedPrefix);
  });

  it('serves one router’s answer to another from Redis, and a change made through one invalidates it for both', async () => {
    const id = String(Number((await graphql(first.routerUrl, '{ movies(first: 1) { edges { node { id } } } }')).body.data.movies.edges[0].node.id) + 7);
    const stored = await post(first.routerUrl, MOVIE, { id });
    expect(stored.headers.get('x-cache')).toBe('MISS');
    second.resetStatements();
    const shared = await post(second.routerUrl, MOVIE, { id });
    expect(shared.headers.get('x-cache')).toBe('HIT');
    expect(shared.text).toBe(stored.text);
    expect(second.statements()).toEqual({ movies: 0, people: 0, ratings: 0, viewing: 0 });

    const token = await signDevToken(`shared-rater-${Date.now()}`, DEVELOPMENT_JWT_SECRET);
    await post(first.routerUrl, RATE, { id, score: 10 }, { authorization: `Bearer ${token}` });
    // The second router holds the entry in memory now, yet checks its tags in Redis on every hit.
    const after = await post(second.routerUrl, MOVIE, { id });
    expect(after.headers.get('x-cache')).toBe('MISS');
    expect(JSON.parse(after.text).data.movie.ratingCount).toBe(JSON.parse(stored.text).data.movie.ratingCount + 1);
  });
});
