import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operationHash } from '../src/persisted-queries/persisted-query-manifest.js';
import { startFakeSubgraphs, type FakeSubgraphs } from './support/fake-subgraphs.js';
import { startInProcessRouter, type InProcessRouter } from './support/in-process-router.js';

let subgraphs: FakeSubgraphs;
let router: InProcessRouter;

interface Answer {
  status: number;
  body: any;
  ms: number;
}

const post = async (body: unknown, headers: Record<string, string> = {}): Promise<Answer> => {
  const started = performance.now();
  const response = await fetch(router.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json(), ms: performance.now() - started };
};
const codes = (answer: Answer) =>
  (Array.isArray(answer.body) ? answer.body.flatMap((item) => item.errors ?? []) : (answer.body.errors ?? [])).map((e: any) => e.extensions?.code);

beforeAll(async () => {
  subgraphs = await startFakeSubgraphs();
  router = await startInProcessRouter({ ...subgraphs.env, RATE_LIMIT: '0' });
});

afterAll(async () => {
  await router?.close();
  await subgraphs?.close();
});

describe('hostile queries', () => {
  const nest = (levels: number) =>
    'me { ratings { edges { node { movie { ' + 'cast { person { movies { '.repeat(levels) + 'title' + ' } } }'.repeat(levels) + ' } } } } }';
  const aliases = (count: number) => `{ ${Array.from({ length: count }, (_, i) => `a${i}: genres`).join(' ')} }`;
  const fragmentBomb = (levels: number) =>
    `query { ...F0 } ${Array.from({ length: levels }, (_, i) => `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`).join(' ')} fragment F${levels} on Query { one: genres }`;
  const hostile: { name: string; body: unknown; status: number; code: string; extensions?: Record<string, unknown> }[] = [
    { name: 'deep', body: { query: `{ ${nest(3)} }` }, status: 400, code: 'QUERY_TOO_DEEP', extensions: { depth: 15, maxDepth: 12 } },
    {
      name: 'deep through fragments',
      body: {
        query:
          'query { me { ...R } } fragment R on User { ratings { edges { node { movie { ...M } } } } } fragment M on Movie { cast { person { movies { cast { person { movies { cast { person { name } } } } } } } } }',
      },
      status: 400,
      code: 'QUERY_TOO_DEEP',
    },
    { name: 'aliased', body: { query: aliases(31) }, status: 400, code: 'TOO_MANY_ALIASES', extensions: { aliases: 31, maxAliases: 30 } },
    { name: 'aliased through a fragment bomb', body: { query: fragmentBomb(30) }, status: 400, code: 'TOO_MANY_ALIASES' },
    {
      name: 'wide and costly (the issue example)',
      body: { query: '{ movies(first: 100) { edges { node { cast { person { movies { cast { person { name } } } } } } } } }' },
      status: 400,
      code: 'QUERY_TOO_COMPLEX',
      extensions: { cost: 1_644_201, maxCost: 50_000 },
    },
    {
      name: 'costly through a variable',
      body: { query: 'query Page($n: Int) { movies(first: $n) { edges { node { title cast { person { name } } } } } }', variables: { n: 5000 } },
      status: 400,
      code: 'QUERY_TOO_COMPLEX',
      extensions: { cost: 210_001 },
    },
    { name: 'huge', body: { query: `{ genres ${'__typename '.repeat(2_100)}}` }, status: 400, code: 'QUERY_TOO_LARGE' },
    { name: 'larger than the body limit', body: { query: `{ genres } #${'x'.repeat(1_100_000)}` }, status: 413, code: 'PAYLOAD_TOO_LARGE' },
    { name: 'batched beyond the bound', body: Array.from({ length: 11 }, () => ({ query: '{ genres }' })), status: 400, code: 'BATCH_TOO_LARGE' },
    { name: 'batched with one hostile operation', body: [{ query: '{ genres }' }, { query: aliases(40) }], status: 400, code: 'TOO_MANY_ALIASES' },
    {
      name: 'cyclic fragments',
      body: { query: /* invalid GraphQL */ 'query { movies { edges { node { ...A } } } } fragment A on Movie { cast { person { movies { ...A } } } }' },
      status: 200,
      code: 'GRAPHQL_VALIDATION_FAILED',
    },
    {
      name: 'an introspection bomb',
      body: { query: /* invalid GraphQL */ '{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }' },
      status: 400,
      code: 'QUERY_TOO_COMPLEX',
    },
    // Parse and validation errors are 200 for a client that accepts application/json (GraphQL over HTTP; 400 for
    // application/graphql-response+json), and still reach no subgraph.
    { name: 'not GraphQL', body: { query: '{ genres ' }, status: 200, code: 'GRAPHQL_PARSE_FAILED' },
  ];

  it.each(hostile)('refuses $name quickly, with its code and before any subgraph is called', async ({ body, status, code, extensions }) => {
    const before = subgraphs.requests;
    const answer = await post(body);
    expect(answer.status).toBe(status);
    expect(codes(answer)).toContain(code);
    if (extensions) expect(answer.body.errors[0].extensions).toMatchObject(extensions);
    // Generous for a loaded machine: the refusals take milliseconds, and what this guards against (expanding a
    // fragment cycle or an introspection bomb) would take minutes.
    expect(answer.ms).toBeLessThan(10_000);
    expect(subgraphs.requests - before).toBe(0);
  });

  it('admits what the project sends: the same shapes within bounds reach the subgraphs, signed', async () => {
    const before = subgraphs.requests;
    expect((await post({ query: '{ genres }' })).status).toBe(200);
    expect((await post({ query: aliases(30) })).status).toBe(200);
    expect(
      (await post({ query: 'query Page($n: Int) { movies(first: $n) { edges { node { title cast { person { name } } } } } }', variables: { n: 100 } })).status,
    ).toBe(200);
    const batch = await post([{ query: '{ genres }' }, { query: '{ genres }' }]);
    expect(batch.status).toBe(200);
    expect(batch.body).toHaveLength(2);
    expect(subgraphs.requests - before).toBeGreaterThanOrEqual(4);
    expect(subgraphs.unsigned).toBe(0);
  });

  it('answers the introspection query GraphiQL sends (introspection is on in development)', async () => {
    const answer = await post({
      query: getIntrospectionQuery({
        descriptions: true,
        inputValueDeprecation: true,
        schemaDescription: true,
        specifiedByUrl: true,
        directiveIsRepeatable: true,
      }),
    });
    expect(answer.status).toBe(200);
    expect(answer.body.data.__schema.queryType.name).toBe('Query');
  });

  it('runs GET queries without a preflight header, and no write from a request a browser sends without a preflight', async () => {
    const get = await fetch(`${router.url}?query=${encodeURIComponent('{ genres }')}`);
    expect(get.status).toBe(200);
    expect(((await get.json()) as { data?: unknown }).data).toBeDefined();
    const before = subgraphs.requests;
    const mutation = await fetch(`${router.url}?query=${encodeURIComponent('mutation { rateMovie(movieId: "1", score: 5) { score } }')}`);
    expect(mutation.status).toBe(405);
    for (const contentType of ['text/plain', 'text/plain; charset=json', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const simple = await fetch(router.url, { method: 'POST', headers: { 'content-type': contentType }, body: JSON.stringify({ query: '{ genres }' }) });
      expect([contentType, simple.status, await simple.json()]).toEqual([
        contentType,
        415,
        { errors: [expect.objectContaining({ extensions: { code: 'UNSUPPORTED_MEDIA_TYPE' } })] },
      ]);
    }
    expect(subgraphs.requests - before).toBe(0);
  });
});

describe('automatic persisted queries', () => {
  it('register an operation by its SHA-256, then run it by hash alone', async () => {
    const query = '{ genres }';
    const extensions = { persistedQuery: { version: 1, sha256Hash: operationHash(query) } };
    const miss = await post({ extensions });
    expect(codes(miss)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    expect((await post({ query, extensions })).status).toBe(200);
    const hit = await post({ extensions });
    expect(hit.status).toBe(200);
    expect(hit.body.data).toEqual({ genres: ['Drama', 'Western'] });
  });

  it('apply the query limits to operations run by hash too', async () => {
    const query = `{ ${Array.from({ length: 31 }, (_, i) => `a${i}: genres`).join(' ')} }`;
    const answer = await post({ query, extensions: { persistedQuery: { version: 1, sha256Hash: operationHash(query) } } });
    expect(codes(answer)).toEqual(['TOO_MANY_ALIASES']);
    expect(codes(await post({ extensions: { persistedQuery: { version: 1, sha256Hash: operationHash(query) } } }))).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
  });
});
