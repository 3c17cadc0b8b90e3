/** One malformed (or odd) HTTP request for a fuzz run. */
export interface MalformedRequest {
  method: string;
  /** Path and query string, appended to the server's origin. */
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
  /** What kind of malformation, for the failure report. */
  kind: string;
}

/** A small deterministic PRNG (mulberry32), so a failing fuzz run can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TOKENS = [
  '{',
  '}',
  '(',
  ')',
  '[',
  ']',
  ':',
  '$',
  '!',
  '@',
  '...',
  '=',
  '|',
  '&',
  'query',
  'mutation',
  'subscription',
  'fragment',
  'on',
  'movie',
  'movies',
  'genres',
  'cast',
  'person',
  'id',
  'title',
  '__schema',
  '__type',
  '__typename',
  'first',
  '100000000000',
  '-1',
  '1.5',
  '"x"',
  '"""',
  '#',
  'null',
  'true',
  '\\u0000',
  '\u{1F600}',
  'rateMovie',
  'signUp',
  '_entities',
  '_service',
  '@defer',
  '@stream',
  'defer',
  'stream',
  'label',
  'initialCount',
];
const OPERATION_TYPES = ['query', 'mutation', 'subscription', ''];
/** Directives a client might try: incremental delivery, live queries, built-ins in odd places, unknown ones. */
const DIRECTIVES = [
  '@defer',
  '@defer(label: "a")',
  '@defer(if: false)',
  '@stream',
  '@stream(initialCount: 1)',
  '@stream(initialCount: -1)',
  '@include(if: true)',
  '@skip(if: $v)',
  '@live',
  '@export(as: "x")',
  '@deprecated',
  '@cacheControl(maxAge: 1)',
  '@specifiedBy(url: "x")',
  '@oneOf',
  '@unknown',
  '@defer @stream',
];
/** A field and its selection set (directives go between the two). */
const SELECTIONS: [string, string][] = [
  ['genres', ''],
  ['movie(id: "1")', /* invalid GraphQL */ '{ id title }'],
  ['movies(first: 2)', /* invalid GraphQL */ '{ edges { node { id } } }'],
  ['topRatedMovies(genre: "Drama", limit: 2)', /* invalid GraphQL */ '{ id }'],
  ['me', /* invalid GraphQL */ '{ id }'],
  ['rateMovie(movieId: "1", score: 5)', /* invalid GraphQL */ '{ score }'],
  ['__typename', ''],
  ['nope', ''],
];
const ACCEPTS = [
  'application/json',
  'application/graphql-response+json',
  'multipart/mixed; deferSpec=20220824, application/json',
  'multipart/mixed; subscriptionSpec=1.0, application/json',
  'text/event-stream',
  '*/*',
  'text/html',
];
const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-16',
  'text/plain',
  'application/graphql',
  'multipart/form-data; boundary=x',
  'application/x-www-form-urlencoded',
  '',
  'application/json; charset=utf-8; x=' + 'y'.repeat(200),
];

/**
 * A stream of malformed requests for the GraphQL endpoint at `graphqlPath`: random bytes, wrong content types,
 * invalid, truncated, huge and deeply nested JSON, wrong types for `query`, `variables`, `operationName` and
 * `extensions`, GraphQL token soup, odd methods, odd paths and odd headers.
 */
export function* malformedRequests(count: number, seed: number, graphqlPath = '/graphql'): Generator<MalformedRequest> {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const int = (max: number) => Math.floor(random() * max);
  const bytes = (length: number) => Uint8Array.from({ length }, () => int(256));
  const soup = () => Array.from({ length: 1 + int(40) }, () => pick(TOKENS)).join(random() < 0.5 ? ' ' : '');
  const json = { 'content-type': 'application/json' };
  const kinds: (() => MalformedRequest)[] = [
    () => ({ kind: 'random bytes', method: 'POST', path: graphqlPath, headers: { 'content-type': pick(CONTENT_TYPES) }, body: bytes(int(2_000)) }),
    () => ({
      kind: 'truncated JSON',
      method: 'POST',
      path: graphqlPath,
      headers: json,
      body: JSON.stringify({ query: '{ genres }', variables: { a: [1, 2] } }).slice(0, int(40)),
    }),
    () => ({
      kind: 'deep JSON',
      method: 'POST',
      path: graphqlPath,
      headers: json,
      body: `{"query":"{ genres }","variables":{"a":${'['.repeat(2_000 + int(8_000))}${']'.repeat(2_000)}}}`,
    }),
    () => {
      const depth = 2_000 + int(5_000);
      return {
        kind: 'deep valid JSON',
        method: 'POST',
        path: graphqlPath,
        headers: json,
        body: `{"query":"query($a: [String]) { genres }","variables":{"a":${'['.repeat(depth)}${']'.repeat(depth)}}}`,
      };
    },
    () => ({
      kind: 'huge JSON',
      method: 'POST',
      path: graphqlPath,
      headers: json,
      body: JSON.stringify({ query: '{ genres }', variables: { pad: 'x'.repeat(1_100_000) } }),
    }),
    () => {
      const values = [123, [], {}, null, true, 'x', ['{ genres }'], { query: '{ genres }' }, -1, 1e308];
      const body = {
        query: pick([...values, '{ genres }', soup()]),
        variables: pick([...values, undefined]),
        operationName: pick([...values, undefined]),
        extensions: pick([...values, { persistedQuery: pick(values) }, { persistedQuery: { version: 1, sha256Hash: pick(values) } }, undefined]),
      };
      return { kind: 'wrong types', method: 'POST', path: graphqlPath, headers: json, body: JSON.stringify(body) };
    },
    () => ({
      kind: 'token soup',
      method: 'POST',
      path: graphqlPath,
      headers: json,
      body: JSON.stringify({ query: soup(), variables: random() < 0.5 ? { first: int(1_000) - 500 } : undefined }),
    }),
    () => ({
      kind: 'batch',
      method: 'POST',
      path: graphqlPath,
      headers: json,
      body: JSON.stringify(Array.from({ length: int(15) }, () => (random() < 0.5 ? { query: soup() } : pick([1, null, 'x', [], { query: '{ genres }' }])))),
    }),
    () => {
      const method = pick(['PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'PROPFIND', 'GET']);
      return {
        kind: 'odd method',
        method,
        path: graphqlPath,
        headers: json,
        ...(method !== 'GET' && method !== 'HEAD' && random() < 0.5 ? { body: '{"query":"{ genres }"}' } : {}),
      };
    },
    () => ({
      kind: 'odd path',
      method: pick(['GET', 'POST']),
      path: pick([
        `${graphqlPath}/..`,
        `${graphqlPath}%00`,
        `/${'a'.repeat(int(4_000))}`,
        `${graphqlPath}?query=%ZZ`,
        `${graphqlPath}?query=${encodeURIComponent(soup())}&variables=%7B`,
        '/health?x=1',
        '/metrics/../graphql',
        `/%2e%2e/${graphqlPath}`,
        '/\u00e9t\u00e9',
        '/favicon.ico',
        '/_playground/../../etc/passwd',
      ]),
      headers: { 'apollo-require-preflight': 'true' },
    }),
    () => ({
      kind: 'odd headers',
      method: 'POST',
      path: graphqlPath,
      headers: {
        ...json,
        authorization: pick(['Bearer', 'Bearer a.b.c', 'Basic Zm9vOmJhcg==', 'Bearer ' + 'x'.repeat(5_000), 'bearer  two tokens']),
        'x-user-id': 'admin',
        'x-user-roles': 'editor',
        'x-router-signature': 't=1,n=xxxxxxxxxxxxxxxxxx,v1=' + 'A'.repeat(43),
      },
      body: JSON.stringify({ query: '{ genres }' }),
    }),
    () => {
      // Well-formed documents of every operation type, with directives where a client could put them.
      const directive = () => (random() < 0.6 ? ` ${pick(DIRECTIVES)}` : '');
      const selection = () => {
        const [field, selectionSet] = pick(SELECTIONS);
        return `${field}${directive()}${selectionSet ? ` ${selectionSet}` : ''}`;
      };
      const inline = random() < 0.5 ? ` ...${directive()} { ${selection()} }` : ` ... on Query${directive()} { ${selection()} }`;
      const fragment = random() < 0.3;
      const type = pick(OPERATION_TYPES);
      const head = type === '' ? '' : `${type}${random() < 0.5 ? ' Op' : ''}${random() < 0.3 ? '($v: Boolean = true)' : ''}${directive()} `;
      const query = `${head}{ ${selection()}${inline}${fragment ? ' ...F' : ''} }${fragment ? ` fragment F on Query${directive()} { ${selection()} }` : ''}`;
      const headers = { ...json, accept: pick(ACCEPTS) };
      if (random() < 0.4)
        return {
          kind: 'operation types and directives',
          method: 'GET',
          path: `${graphqlPath}?query=${encodeURIComponent(query)}`,
          headers: { accept: headers.accept },
        };
      return {
        kind: 'operation types and directives',
        method: 'POST',
        path: graphqlPath,
        headers,
        body: JSON.stringify({ query, ...(random() < 0.3 ? { operationName: pick(['Op', 'Other', null]) } : {}) }),
      };
    },
    () => ({
      kind: 'GET with query',
      method: 'GET',
      path: `${graphqlPath}?query=${encodeURIComponent(random() < 0.5 ? soup() : '{ genres }')}&variables=${encodeURIComponent(pick(['{', '[]', '{"a":1}', 'null']))}`,
      headers: { 'apollo-require-preflight': 'true' },
    }),
  ];
  for (let i = 0; i < count; i++) yield pick(kinds)();
}
