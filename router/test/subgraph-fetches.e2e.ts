import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEVELOPMENT_JWT_SECRET } from '@cinema/kit/config';
import { startServiceProcess, type ServiceProcess } from '@cinema/kit/service-process';
import pg from 'pg';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../../test/support/graphql-client.js';
import { seedSmallCatalogue } from '../../test/support/in-process-platform.js';
import { deleteTestKeys, testKeyPrefix } from '../../test/support/redis-test-keys.js';
import { createTestDatabase, type TestDatabase } from '../../test/support/test-database.js';
import { signDevToken } from '../src/dev-token.js';

/**
 * What the router sends the subgraphs, seen from the subgraph's side, on real processes: one replica of each
 * subgraph, a router talking to them directly, and a second router whose ratings traffic goes through a recording
 * proxy in this test, which counts the representations of every `_entities` request and can hold requests back so
 * that concurrent ones overlap. The processes are started here rather than by the launcher so that a loaded
 * machine gets a longer start-up allowance.
 */
const ROUTER_ENV = { RESPONSE_CACHE: 'false', RATE_LIMIT: '0' };

/** Q2 of issue 14: top-rated movies → cast → each person's films → their average ratings. */
const DEEP = `query Deep($genre: String!) {
  topRatedMovies(genre: $genre, limit: 10) {
    id title averageRating
    cast { character person { id name movies { id title averageRating } } }
  }
}`;

interface RecordedRequest {
  body: { query: string; variables?: { representations?: unknown[] } };
  userId: string | undefined;
}

let database: TestDatabase;
let genre: string;
const processes: ServiceProcess[] = [];
let proxy: Server | undefined;
/** The router talking to the subgraphs directly, and the one whose ratings requests go through the proxy. */
let directUrl: string;
let routerUrl: string;
const recorded: RecordedRequest[] = [];
/** Milliseconds the proxy holds each request before passing it on. */
let holdMs = 0;
const keyPrefix = testKeyPrefix('subgraph-fetches');
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

async function startRecordingProxy(target: string): Promise<string> {
  proxy = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    // A failure before the upstream answers (a body that is not JSON) closes the connection, as an upstream error does.
    req.on('end', () => void forward().catch(() => res.destroy()));
    const forward = async () => {
      const body = Buffer.concat(chunks);
      if (req.url === '/graphql') recorded.push({ body: JSON.parse(body.toString('utf8')), userId: req.headers['x-user-id'] as string | undefined });
      if (holdMs > 0) await new Promise((resolve) => setTimeout(resolve, holdMs));
      try {
        const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => !['host', 'connection', 'content-length'].includes(name))) as Record<
          string,
          string
        >;
        const answer = await request(`${target}${req.url}`, { method: req.method as 'GET' | 'POST', headers, body: req.method === 'POST' ? body : null });
        const text = await answer.body.text();
        res.writeHead(answer.statusCode, {
          'content-type': String(answer.headers['content-type'] ?? 'application/json'),
          ...(answer.headers['cache-control'] ? { 'cache-control': String(answer.headers['cache-control']) } : {}),
        });
        res.end(text);
      } catch {
        res.destroy();
      }
    };
  });
  await new Promise<void>((resolve) => proxy!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
}

/** Starts a service and registers it for the clean-up; 3 minutes to get ready, as tsx start-up is slow on a loaded machine. */
async function start(name: string, entry: string, env: NodeJS.ProcessEnv): Promise<ServiceProcess> {
  const started = await startServiceProcess({
    name,
    entry: path.join(repoRoot, entry, 'src', 'index.ts'),
    stdio: 'ignore',
    readyTimeoutMs: 180_000,
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'warn', DATABASE_URL: database.url, CACHE_KEY_PREFIX: keyPrefix, ...env },
  });
  processes.push(started);
  return started;
}

beforeAll(async () => {
  database = await createTestDatabase('subgraph_fetches');
  await seedSmallCatalogue(database.url);
  const [movies, people] = await Promise.all([start('movies', 'subgraphs/movies', {}), start('people', 'subgraphs/people', {})]);
  const ratings = await start('ratings', 'subgraphs/ratings', { MOVIES_FEED_URL: movies.url });
  const proxyUrl = await startRecordingProxy(ratings.url);
  const routerEnv = (ratingsUrl: string) => ({
    ...ROUTER_ENV,
    SUBGRAPH_MOVIES_URLS: `${movies.url}/graphql`,
    SUBGRAPH_PEOPLE_URLS: `${people.url}/graphql`,
    SUBGRAPH_RATINGS_URLS: `${ratingsUrl}/graphql`,
  });
  const [direct, viaProxy] = await Promise.all([start('router', 'router', routerEnv(ratings.url)), start('router-via-proxy', 'router', routerEnv(proxyUrl))]);
  directUrl = `${direct.url}/graphql`;
  routerUrl = `${viaProxy.url}/graphql`;
  genre = ((await graphql(directUrl, '{ genres }')).body.data.genres as string[])[0]!;
  // The ratings service learns genres from the movies feed; wait until it ranks this one.
  for (let attempt = 0; ; attempt++) {
    const top = await graphql(directUrl, 'query($g: String!) { topRatedMovies(genre: $g, limit: 1) { id } }', { g: genre });
    if ((top.body.data?.topRatedMovies ?? []).length > 0) break;
    if (attempt > 240) throw new Error('the ratings projection did not catch up with the catalogue');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}, 600_000);

afterAll(async () => {
  await Promise.all(processes.reverse().map((service) => service.stop()));
  proxy?.closeAllConnections();
  proxy?.close();
  if (process.env.REDIS_URL) await deleteTestKeys(process.env.REDIS_URL, keyPrefix).catch(() => undefined);
  await database?.drop();
});

const entityRequests = () => recorded.filter((one) => Array.isArray(one.body.variables?.representations));

describe('subgraph fetches of a deep query', { timeout: 120_000 }, () => {
  it('carry distinct representations only, and the answer is complete', async () => {
    recorded.length = 0;
    const response = await graphql(routerUrl, DEEP, { genre: genre });
    expect(response.body.errors).toBeUndefined();
    const top = response.body.data.topRatedMovies as {
      id: string;
      averageRating: number | null;
      cast: { person: { movies: { id: string; averageRating: number | null }[] } }[];
    }[];
    expect(top.length).toBeGreaterThan(0);
    const nested = top.flatMap((movie) => movie.cast.flatMap((credit) => credit.person.movies));
    // Every film in the answer has its rating: the expansion put each answer back where it belongs.
    for (const movie of nested) expect(movie).toHaveProperty('averageRating');
    const ratingOf = new Map(top.map((movie) => [movie.id, movie.averageRating]));
    for (const movie of nested) if (ratingOf.has(movie.id)) expect(movie.averageRating).toBe(ratingOf.get(movie.id));

    const requests = entityRequests();
    expect(requests.length).toBeGreaterThan(0);
    let sent = 0;
    for (const { body } of requests) {
      const texts = body.variables!.representations!.map((representation) => JSON.stringify(representation));
      expect(new Set(texts).size).toBe(texts.length);
      sent += texts.length;
    }
    // The gateway wanted one representation per place a film appears; ratings got each film once.
    const distinctFilms = new Set(nested.map((movie) => movie.id)).size;
    console.log(
      `[deep query] ratings received ${sent} representations in ${requests.length} _entities requests for ${nested.length} film positions (${distinctFilms} distinct films)`,
    );
    expect(nested.length).toBeGreaterThan(distinctFilms);
    expect(sent).toBeLessThanOrEqual(distinctFilms);
  });

  it('merges identical queries in flight for the same caller, never across callers', async () => {
    const single = async () => {
      recorded.length = 0;
      const response = await graphql(routerUrl, DEEP, { genre: genre });
      expect(response.body.errors).toBeUndefined();
      return recorded.length;
    };
    const perQuery = await single();
    // Held back long enough that the concurrent queries' fetches overlap whatever the machine's load.
    holdMs = 300;
    try {
      recorded.length = 0;
      const concurrent = 8;
      const answers = await Promise.all(Array.from({ length: concurrent }, () => graphql(routerUrl, DEEP, { genre: genre })));
      for (const answer of answers) expect(answer.body.errors).toBeUndefined();
      expect(new Set(answers.map((answer) => JSON.stringify(answer.body.data))).size).toBe(1);
      console.log(`[merging] ${concurrent} identical anonymous queries at once: ${recorded.length} ratings requests (${perQuery} for one query alone)`);
      expect(recorded.length).toBe(perQuery);

      recorded.length = 0;
      const [alice, bob] = await Promise.all([signDevToken('alice', DEVELOPMENT_JWT_SECRET), signDevToken('bob', DEVELOPMENT_JWT_SECRET)]);
      const mine = `query Deep($genre: String!) { topRatedMovies(genre: $genre, limit: 10) { id myRating } }`;
      const [forAlice, forBob] = await Promise.all([graphql(routerUrl, mine, { genre: genre }, alice), graphql(routerUrl, mine, { genre: genre }, bob)]);
      expect(forAlice.body.errors).toBeUndefined();
      expect(forBob.body.errors).toBeUndefined();
      const users = recorded.map((one) => one.userId).sort();
      expect(users).toEqual(['alice', 'bob']);
    } finally {
      holdMs = 0;
    }
  });

  it("cancels the subgraph's SQL when the client leaves: the query waiting in PostgreSQL is gone while its lock is still held", async () => {
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    const waiting = async () =>
      (
        await admin.query<{ count: number }>(
          `select count(*)::int as count from pg_stat_activity where datname = current_database() and application_name = 'ratings-subgraph' and state = 'active' and wait_event_type = 'Lock'`,
        )
      ).rows[0]!.count;
    const locker = new pg.Client({ connectionString: database.url });
    await locker.connect();
    try {
      // Every read of the ratings statistics now waits: a query that would run until the lock goes.
      await locker.query('begin');
      await locker.query('lock table ratings.movie_rating_stats in access exclusive mode');
      const client = new AbortController();
      const pending = fetch(directUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ movie(id: "1") { title averageRating } }' }),
        signal: client.signal,
      }).catch((error: unknown) => error);
      await expect.poll(waiting, { timeout: 20_000, interval: 100 }).toBe(1);
      client.abort();
      await pending;
      // The lock is still held: the statement can only have left because it was cancelled.
      await expect.poll(waiting, { timeout: 20_000, interval: 100 }).toBe(0);
    } finally {
      await locker.query('rollback').catch(() => undefined);
      await locker.end();
      await admin.end();
    }
    // The subgraph is still fine afterwards.
    const after = await graphql(directUrl, '{ movie(id: "1") { title averageRating } }');
    expect(after.body.errors).toBeUndefined();
  });
});
