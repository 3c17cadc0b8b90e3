import { gql as apolloGql } from '@apollo/client';
import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { gql as urqlGql } from '@urql/core';
import { ClientError, GraphQLClient } from 'graphql-request';
import { serverAudits } from 'graphql-http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '@cinema/data-tools';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApolloClient } from '../../examples/front-end/apollo-client.js';
import { sha256 } from '../../examples/front-end/sha256.js';
import { createUrqlClient } from '../../examples/front-end/urql-client.js';
import { DEVELOPMENT_JWT_SECRET } from '../../router/src/config.js';
import { signDevToken } from '../../router/src/dev-token.js';
import { startInProcessRouter, type InProcessRouter } from '../../router/test/support/in-process-router.js';
import { scrapeMetrics, sumOf } from '../support/prometheus-text.js';
import { readmeCodeBlocks } from '../support/readme-section.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.js';

/**
 * Real GraphQL clients with their default settings against the real router and subgraphs: Apollo Client 4 (its
 * HttpLink, and its persisted-queries link), urql 6 (GET for queries, and its persisted exchange), graphql-request
 * and plain fetch (GET and POST). Then what a page on another site can make a browser send without a preflight,
 * graphql-http's GraphQL-over-HTTP audits, error locations and the operations the router refuses.
 */

let database: TestDatabase;
let platform: TestPlatform;
/** A second router over the same subgraphs, with the response cache off (the platform's has it on). */
let uncached: InProcessRouter;
let origin: string;
let db: pg.Client;

beforeAll(async () => {
  database = await createTestDatabase('e2e_clients');
  platform = await startTestPlatform(database.url, { REPLICAS: '1', DEMO_VIDEOS: '0' });
  origin = new URL(platform.routerUrl).origin;
  const subgraph = (name: string) => `${platform.services.find((service) => service.name === name)!.url}/graphql`;
  uncached = await startInProcessRouter({
    RATE_LIMIT: '0',
    RESPONSE_CACHE: 'false',
    SUBGRAPH_MOVIES_URLS: subgraph('movies'),
    SUBGRAPH_PEOPLE_URLS: subgraph('people'),
    SUBGRAPH_RATINGS_URLS: subgraph('ratings'),
  });
  db = new pg.Client({ connectionString: database.url });
  await db.connect();
});

afterAll(async () => {
  await db?.end();
  await uncached?.close();
  await platform?.stop();
  await database?.drop();
});

/**
 * The query texts the clients sent, recorded on the way out: clients print the document again (adding
 * `__typename`), so where an error is depends on the client, and must be found in what it actually sent.
 */
const sentQueries: string[] = [];
/** How many requests carried a persisted-query hash (`extensions.persistedQuery`), in the URL or the body. */
let persistedHashesSent = 0;
const realFetch = globalThis.fetch;
globalThis.fetch = (input: string | URL | Request, init?: RequestInit) => {
  const url = new URL(input instanceof Request ? input.url : input);
  const query = url.searchParams.get('query');
  if (query) sentQueries.push(query);
  if (url.searchParams.get('extensions')?.includes('persistedQuery')) persistedHashesSent++;
  if (typeof init?.body === 'string') {
    try {
      const body = JSON.parse(init.body) as { query?: unknown; extensions?: { persistedQuery?: unknown } };
      if (typeof body.query === 'string') sentQueries.push(body.query);
      if (body.extensions?.persistedQuery) persistedHashesSent++;
    } catch {
      // Not JSON: nothing to record.
    }
  }
  return realFetch(input, init);
};
afterAll(() => {
  globalThis.fetch = realFetch;
});
/** Where `word` is in the last query text sent that holds it, as GraphQL counts lines and columns (from 1). */
const sentLocationOf = (word: string) => {
  const text = sentQueries.findLast((query) => query.includes(word));
  if (!text) throw new Error(`no query with ${word} was sent`);
  const before = text.slice(0, text.indexOf(word)).split('\n');
  return [{ line: before.length, column: before.at(-1)!.length + 1 }];
};

const token = (userId: string) => signDevToken(userId, DEVELOPMENT_JWT_SECRET);
/** The user's score for a movie in the ratings service's own table, or null. */
const storedScore = async (userId: string, movieId: string): Promise<number | null> => {
  const { rows } = await db.query<{ score: number }>('select score from ratings.ratings where user_id = $1 and movie_id = $2', [userId, Number(movieId)]);
  return rows[0]?.score ?? null;
};
/** Requests the router has served at /graphql by method, from its own metrics. */
const servedByMethod = async (method: string): Promise<number> =>
  sumOf(await scrapeMetrics(origin), 'http_server_request_duration_seconds_count', { route: '/graphql', method });

const MOVIE = 'query Movie($id: ID!) { movie(id: $id) { id title year cast { person { name } } } }';
const RATE = 'mutation Rate($movieId: ID!, $score: Int!) { rateMovie(movieId: $movieId, score: $score) { score movie { id ratingCount myRating } } }';
/** A validation error: `nope` is at line 1, column 20 of the text the client sends. */
const INVALID = /* invalid GraphQL */ '{ movie(id: "1") { nope } }';
const INVALID_AT = [{ line: 1, column: 20 }];

describe('Apollo Client 4', () => {
  it.each([false, true])('queries, rates a movie with a token, and reports an error with its location (persisted queries: %s)', async (persistedQueries) => {
    const user = `apollo-${persistedQueries ? 'apq' : 'plain'}`;
    const bearer = await token(user);
    const client = createApolloClient(platform.routerUrl, () => bearer, { persistedQueries });
    const hashesBefore = await servedByMethod('POST');
    const persistedBefore = persistedHashesSent;

    const movie = await client.query({ query: apolloGql(MOVIE), variables: { id: '3' } });
    expect(movie.error).toBeUndefined();
    expect(movie.data).toMatchObject({ movie: { id: '3', title: expect.any(String), cast: expect.any(Array) } });

    const rated = await client.mutate({ mutation: apolloGql(RATE), variables: { movieId: '3', score: persistedQueries ? 9 : 7 } });
    expect(rated.data).toMatchObject({ rateMovie: { score: persistedQueries ? 9 : 7, movie: { id: '3', myRating: persistedQueries ? 9 : 7 } } });
    expect(await storedScore(user, '3')).toBe(persistedQueries ? 9 : 7);

    const failure = await client.query({ query: apolloGql(INVALID) }).catch((error: unknown) => error);
    expect(CombinedGraphQLErrors.is(failure)).toBe(true);
    expect((failure as CombinedGraphQLErrors).errors).toEqual([
      expect.objectContaining({ locations: sentLocationOf('nope'), extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }),
    ]);
    // With the link, the first request of each operation is its hash alone, then hash and text: more POSTs.
    expect((await servedByMethod('POST')) - hashesBefore).toBe(persistedQueries ? 6 : 3);
    expect(persistedHashesSent - persistedBefore).toBe(persistedQueries ? 6 : 0);
  });
});

describe('urql 6 with its defaults', () => {
  it.each([false, true])(
    'sends queries as GET, rates a movie with a token, and reports an error with its location (persisted queries: %s)',
    async (persistedQueries) => {
      const user = `urql-${persistedQueries ? 'apq' : 'plain'}`;
      const bearer = await token(user);
      const client = createUrqlClient(platform.routerUrl, () => bearer, { persistedQueries });
      const getsBefore = await servedByMethod('GET');
      const persistedBefore = persistedHashesSent;

      const movie = await client.query(urqlGql(MOVIE), { id: '4' }).toPromise();
      expect(movie.error).toBeUndefined();
      expect(movie.data).toMatchObject({ movie: { id: '4', title: expect.any(String) } });
      expect(await servedByMethod('GET')).toBeGreaterThan(getsBefore);

      const rated = await client.mutation(urqlGql(RATE), { movieId: '4', score: 6 }).toPromise();
      expect(rated.error).toBeUndefined();
      expect(rated.data).toMatchObject({ rateMovie: { score: 6, movie: { id: '4', myRating: 6 } } });
      expect(await storedScore(user, '4')).toBe(6);

      const failure = await client.query(urqlGql(INVALID), {}).toPromise();
      expect(failure.error?.graphQLErrors.map((error) => [error.locations, error.extensions.code])).toEqual([
        [sentLocationOf('nope'), 'GRAPHQL_VALIDATION_FAILED'],
      ]);
      // With the exchange, every operation went by its hash (the router then asked for the text once each).
      expect(persistedHashesSent - persistedBefore >= 3).toBe(persistedQueries);
    },
  );
});

describe('graphql-request', () => {
  it('queries, rates a movie with a token, and reports an error with its location', async () => {
    const client = new GraphQLClient(platform.routerUrl, { headers: { authorization: `Bearer ${await token('graphql-request')}` } });
    expect(await client.request<{ movie: { id: string } }>(MOVIE, { id: '5' })).toMatchObject({ movie: { id: '5', title: expect.any(String) } });
    expect(await client.request(RATE, { movieId: '5', score: 4 })).toMatchObject({ rateMovie: { score: 4, movie: { myRating: 4 } } });
    expect(await storedScore('graphql-request', '5')).toBe(4);
    const failure = await client.request(INVALID).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ClientError);
    expect((failure as ClientError).response.errors).toEqual([
      expect.objectContaining({ locations: sentLocationOf('nope'), extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }),
    ]);
  });
});

describe('the README\'s "Use it from a front-end" snippets, as written there', () => {
  /** The URL the snippets use; the test points it at its own router, and fails if a snippet no longer has it. */
  const README_URL = 'http://127.0.0.1:4000/graphql';
  let folder: string;
  beforeAll(async () => {
    // Inside the repository, so the snippets' imports resolve to its node_modules like a front-end's would.
    folder = await mkdtemp(path.join(repoRoot, 'test', '.readme-snippets-'));
  });
  afterAll(async () => {
    delete (globalThis as { localStorage?: unknown }).localStorage;
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  /**
   * Runs a README snippet as a module of its own, with the signed-in user's token in `localStorage` (Node has none),
   * and returns the variables it declares that are named in `exported`.
   */
  const runSnippet = async (name: string, code: string, user: string, exported: string[]): Promise<Record<string, unknown>> => {
    expect(code).toContain(`'${README_URL}'`);
    const bearer = await token(user);
    (globalThis as { localStorage?: unknown }).localStorage = { getItem: (key: string) => (key === 'token' ? bearer : null) };
    const file = path.join(folder, `${name}.ts`);
    await writeFile(file, `${code.replaceAll(`'${README_URL}'`, JSON.stringify(platform.routerUrl))}\nexport { ${exported.join(', ')} };\n`);
    return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  };

  it('there are two TypeScript snippets: Apollo Client first, then urql', () => {
    const blocks = readmeCodeBlocks('Use it from a front-end', 'ts');
    expect(blocks.map((block) => block.split('\n')[0])).toEqual([expect.stringMatching(/^\/\/ Apollo Client 4/), expect.stringMatching(/^\/\/ urql 6/)]);
  });

  it('Apollo Client: the query answers and the mutation, with the token from localStorage, stores the rating', async () => {
    const [apollo] = readmeCodeBlocks('Use it from a front-end', 'ts');
    const { data } = await runSnippet('apollo', apollo!, 'readme-apollo', ['data']);
    expect(data).toMatchObject({ movie: { id: '3', title: expect.any(String), cast: expect.any(Array) } });
    expect(await storedScore('readme-apollo', '3')).toBe(9);
  });

  it('urql: the query goes as GET and answers, and the mutation, with the token from localStorage, stores the rating', async () => {
    const [, urql] = readmeCodeBlocks('Use it from a front-end', 'ts');
    const getsBefore = await servedByMethod('GET');
    const { data, error, rated } = await runSnippet('urql', urql!, 'readme-urql', ['data', 'error', 'rated']);
    expect(error).toBeUndefined();
    expect(data).toMatchObject({ movie: { id: '4', title: expect.any(String) } });
    expect(await servedByMethod('GET')).toBeGreaterThan(getsBefore);
    expect(rated).toMatchObject({ error: undefined, data: { rateMovie: { score: 6 } } });
    expect(await storedScore('readme-urql', '4')).toBe(6);
  });
});

describe('plain fetch', () => {
  const get = (params: Record<string, unknown>, headers: Record<string, string> = {}) => {
    const url = new URL(platform.routerUrl);
    for (const [key, value] of Object.entries(params)) url.searchParams.set(key, typeof value === 'string' ? value : JSON.stringify(value));
    return fetch(url, { headers });
  };
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(platform.routerUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  it('GET and POST queries, a POST mutation with a token, and errors with their locations', async () => {
    for (const response of [await get({ query: MOVIE, variables: { id: '6' } }), await post({ query: MOVIE, variables: { id: '6' } })]) {
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ data: { movie: { id: '6', title: expect.any(String) } } });
    }
    const rated = await post({ query: RATE, variables: { movieId: '6', score: 3 } }, { authorization: `Bearer ${await token('fetch-user')}` });
    expect(await rated.json()).toMatchObject({ data: { rateMovie: { score: 3, movie: { myRating: 3 } } } });
    expect(await storedScore('fetch-user', '6')).toBe(3);
    for (const response of [await get({ query: INVALID }), await post({ query: INVALID })]) {
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        errors: [expect.objectContaining({ locations: INVALID_AT, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })],
      });
      expect(sentLocationOf('nope')).toEqual(INVALID_AT);
    }
  });

  it('automatic persisted queries: unknown hash, then hash and text, then the hash alone over POST and GET', async () => {
    const query = '{ genres }';
    const extensions = { persistedQuery: { version: 1, sha256Hash: await sha256(query) } };
    expect(await (await post({ extensions })).json()).toEqual({
      errors: [expect.objectContaining({ extensions: expect.objectContaining({ code: 'PERSISTED_QUERY_NOT_FOUND' }) })],
    });
    expect(await (await post({ query, extensions })).json()).toMatchObject({ data: { genres: expect.arrayContaining([platform.genre]) } });
    expect(await (await post({ extensions })).json()).toMatchObject({ data: { genres: expect.arrayContaining([platform.genre]) } });
    expect(await (await get({ extensions })).json()).toMatchObject({ data: { genres: expect.arrayContaining([platform.genre]) } });
  });
});

describe('a page on another site, through a browser, without a preflight', () => {
  const victim = 'csrf-victim';
  const evil = { origin: 'https://evil.example' };

  it('changes nothing: a GET mutation, and text/plain, form and multipart POSTs, with and without credentials', async () => {
    const bearer = await token(victim);
    const mutation = 'mutation { rateMovie(movieId: "7", score: 1) { score } }';
    const body = JSON.stringify({ query: mutation });
    // "Credentials" for a browser are cookies; the router never reads them. The Authorization header cannot be set
    // on a simple request, but is sent here too, to show the refusal does not depend on who asks.
    const credentials: Record<string, string>[] = [{}, { cookie: `token=${bearer}; authorization=Bearer%20${bearer}` }, { authorization: `Bearer ${bearer}` }];
    const attempts: [string, () => Promise<Response>][] = [];
    for (const extra of credentials) {
      attempts.push(
        ['GET mutation', () => fetch(`${platform.routerUrl}?query=${encodeURIComponent(mutation)}`, { headers: { ...evil, ...extra } })],
        ['text/plain', () => fetch(platform.routerUrl, { method: 'POST', headers: { ...evil, ...extra, 'content-type': 'text/plain;charset=UTF-8' }, body })],
        [
          'form',
          () =>
            fetch(platform.routerUrl, {
              method: 'POST',
              headers: { ...evil, ...extra, 'content-type': 'application/x-www-form-urlencoded' },
              body: new URLSearchParams({ query: mutation }).toString(),
            }),
        ],
        [
          'multipart',
          () =>
            fetch(platform.routerUrl, {
              method: 'POST',
              headers: { ...evil, ...extra },
              body: (() => {
                const form = new FormData();
                form.set('query', mutation);
                return form;
              })(),
            }),
        ],
      );
    }
    for (const [name, attempt] of attempts) {
      const response = await attempt();
      expect([name, response.status]).toEqual([name, name === 'GET mutation' ? 405 : 415]);
      // No CORS header for an origin that is not configured: the page cannot even read the refusal.
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
    }
    expect(await storedScore(victim, '7')).toBeNull();
    const me = await fetch(platform.routerUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
      body: JSON.stringify({ query: '{ movie(id: "7") { myRating } }' }),
    });
    expect(await me.json()).toMatchObject({ data: { movie: { myRating: null } } });
  });

  it('a cross-site GET query runs, anonymously even with a cookie', async () => {
    const response = await fetch(`${platform.routerUrl}?query=${encodeURIComponent('{ me { id } }')}`, {
      headers: { ...evil, cookie: `token=${await token(victim)}` },
    });
    const body = (await response.json()) as { data?: { me: unknown }; errors?: { extensions: { code: string } }[] };
    expect(body.data?.me ?? null).toBeNull();
    expect(body.errors?.map((error) => error.extensions.code)).toEqual(['UNAUTHENTICATED']);
  });
});

describe('GraphQL over HTTP (graphql-http server audits)', () => {
  // Every audit, MUST, SHOULD and MAY: a failed MUST is an "error", a failed SHOULD a "warn", a failed MAY a "notice"
  // (allowed: MAY is optional). MUST and SHOULD audits must be "ok".
  const audits = serverAudits({ url: () => platform.routerUrl });
  it.each(audits.map((audit) => [audit.name, audit] as const))('%s', async (name, audit) => {
    const result = await audit.fn();
    const detail = result.status === 'ok' ? '' : `${result.reason}: ${result.response.status} ${await result.response.text().catch(() => '')}`;
    if (name.startsWith('MAY')) expect(['ok', 'notice']).toContain(result.status);
    else expect(detail).toBe('');
  });
});

describe('error locations refer to the text the client sent', () => {
  const cases: { name: string; query: string; variables?: Record<string, unknown>; code: string; locations: { line: number; column: number }[] }[] = [
    { name: 'validation, one line', query: INVALID, code: 'GRAPHQL_VALIDATION_FAILED', locations: INVALID_AT },
    {
      name: 'validation, nested, after comments',
      query: '# the movie page\nquery Page {\n  movie(id: "1") {\n    title\n    cast { person { nam } }\n  }\n}',
      code: 'GRAPHQL_VALIDATION_FAILED',
      locations: [{ line: 5, column: 21 }],
    },
    {
      name: 'validation, in a fragment',
      query: /* invalid GraphQL */ 'query { movie(id: "1") { ...F } }\nfragment F on Movie { id titl }',
      code: 'GRAPHQL_VALIDATION_FAILED',
      locations: [{ line: 2, column: 26 }],
    },
    { name: 'parse', query: /* invalid GraphQL */ '{ movie(id: "1") {\n  title\n  ) }', code: 'GRAPHQL_PARSE_FAILED', locations: [{ line: 3, column: 3 }] },
    {
      name: 'variable coercion',
      query: '# needs an id\nquery Page($id: ID!) {\n  movie(id: $id) { title }\n}',
      variables: { id: null },
      code: 'BAD_USER_INPUT',
      locations: [{ line: 2, column: 12 }],
    },
  ];
  const routers = () =>
    [
      ['cache on', platform.routerUrl],
      ['cache off', uncached.url],
    ] as const;

  it.each(cases)('$name: over GET and POST, response cache on and off', async ({ query, variables, code, locations }) => {
    for (const [cache, url] of routers()) {
      const target = new URL(url);
      target.searchParams.set('query', query);
      if (variables) target.searchParams.set('variables', JSON.stringify(variables));
      const requests = {
        GET: () => fetch(target),
        POST: () => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) }),
      };
      for (const [method, send] of Object.entries(requests)) {
        const body = (await (await send()).json()) as { errors?: { locations?: unknown; extensions?: { code?: string } }[] };
        expect({ cache, method, errors: body.errors?.map((error) => ({ code: error.extensions?.code, locations: error.locations })) }).toEqual({
          cache,
          method,
          errors: [{ code, locations }],
        });
      }
    }
  });
});

describe('what the router does not serve', () => {
  const cases = [
    { name: 'a subscription', query: 'subscription { movieAdded { id } }', code: 'SUBSCRIPTIONS_NOT_SUPPORTED' },
    { name: 'a subscription picked by name', query: 'query A { genres } subscription B { genres }', operationName: 'B', code: 'SUBSCRIPTIONS_NOT_SUPPORTED' },
    { name: '@defer', query: /* invalid GraphQL */ '{ movie(id: "1") { title ... @defer { cast { person { name } } } } }', code: 'DEFER_NOT_SUPPORTED' },
    {
      name: '@defer in a fragment',
      query: /* invalid GraphQL */ '{ movie(id: "1") { ...F } } fragment F on Movie { title ... @defer(label: "x") { year } }',
      code: 'DEFER_NOT_SUPPORTED',
    },
    { name: '@stream', query: /* invalid GraphQL */ '{ topRatedMovies(genre: "Drama") @stream(initialCount: 1) { id } }', code: 'STREAM_NOT_SUPPORTED' },
  ];

  it.each(cases)('refuses $name with 400 and $code, over POST and GET, and counts no 5xx', async ({ query, operationName, code }) => {
    const serverErrorsBefore = sumOf(await scrapeMetrics(origin), 'http_server_request_duration_seconds_count', { route: '/graphql', status_class: '5xx' });
    const target = new URL(platform.routerUrl);
    target.searchParams.set('query', query);
    if (operationName) target.searchParams.set('operationName', operationName);
    const accepts = ['application/json', 'application/graphql-response+json', 'multipart/mixed; deferSpec=20220824, application/json'];
    for (const accept of accepts) {
      for (const response of [
        await fetch(platform.routerUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept },
          body: JSON.stringify({ query, operationName }),
        }),
        await fetch(target, { headers: { accept } }),
      ]) {
        expect([accept, response.status, await response.json()]).toEqual([accept, 400, { errors: [expect.objectContaining({ extensions: { code } })] }]);
      }
    }
    expect(sumOf(await scrapeMetrics(origin), 'http_server_request_duration_seconds_count', { route: '/graphql', status_class: '5xx' })).toBe(
      serverErrorsBefore,
    );
  });

  it('still runs a query beside a subscription in the same document, and words like "stream" in names or strings', async () => {
    const response = await fetch(platform.routerUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'query A { movie(id: "1") { stream: title } } subscription B { genres }', operationName: 'A' }),
    });
    expect(await response.json()).toMatchObject({ data: { movie: { stream: expect.any(String) } } });
  });
});
