import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRouterConfig } from '../src/config.js';
import { operationHash, type PersistedQueryManifest } from '../src/persisted-queries/persisted-query-manifest.js';
import { persistedOperationsManifest, PERSISTED_OPERATIONS_PATH } from '../src/persisted-queries/persisted-operations.js';
import { startFakeSubgraphs, type FakeSubgraphs } from './support/fake-subgraphs.js';
import { startInProcessRouter, type InProcessRouter } from './support/in-process-router.js';

let subgraphs: FakeSubgraphs;
const routers: InProcessRouter[] = [];
const start = async (env: Record<string, string>) => {
  const router = await startInProcessRouter({ ...subgraphs.env, RATE_LIMIT: '0', ...env });
  routers.push(router);
  return router;
};
const post = async (url: string, body: unknown, headers: Record<string, string> = {}) => {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const json = (await response.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
  return { status: response.status, headers: response.headers, body: json, codes: (json.errors ?? []).map((e) => e.extensions?.code) };
};

beforeAll(async () => {
  subgraphs = await startFakeSubgraphs();
});

afterAll(async () => {
  for (const router of routers) await router.close();
  await subgraphs?.close();
});

describe('allow-list mode (PERSISTED_QUERIES_ONLY=true)', () => {
  const manifest = JSON.parse(readFileSync(PERSISTED_OPERATIONS_PATH, 'utf8')) as PersistedQueryManifest;
  const browse = manifest.operations.find((operation) => operation.name === 'BrowseCatalogue')!;
  let router: InProcessRouter;
  beforeAll(async () => {
    router = await start({ PERSISTED_QUERIES_ONLY: 'true' });
  });

  it('runs a registered operation by hash alone, or by its registered text', async () => {
    const before = subgraphs.requests;
    const byHash = await post(router.url, { extensions: { persistedQuery: { version: 1, sha256Hash: browse.id } }, variables: { first: 2 } });
    expect(byHash.codes).not.toContain('PERSISTED_QUERY_NOT_FOUND');
    expect(byHash.status).toBe(200);
    expect((await post(router.url, { query: browse.body, variables: { first: 2 } })).status).toBe(200);
    expect(subgraphs.requests - before).toBeGreaterThanOrEqual(2);
  });

  it('refuses any other operation with 403 OPERATION_NOT_ALLOWED, and lets nobody register one', async () => {
    const before = subgraphs.requests;
    const query = '{ genres }';
    const text = await post(router.url, { query });
    expect([text.status, text.codes]).toEqual([403, ['OPERATION_NOT_ALLOWED']]);
    const registering = await post(router.url, { query, extensions: { persistedQuery: { version: 1, sha256Hash: operationHash(query) } } });
    expect([registering.status, registering.codes]).toEqual([403, ['OPERATION_NOT_ALLOWED']]);
    expect((await post(router.url, { extensions: { persistedQuery: { version: 1, sha256Hash: operationHash(query) } } })).codes).toEqual([
      'PERSISTED_QUERY_NOT_FOUND',
    ]);
    expect(subgraphs.requests - before).toBe(0);
  });

  it('registers the operations of examples/ and of the web app, as `npm run operations:persist` writes them', () => {
    expect(manifest).toEqual(persistedOperationsManifest());
  });
});

describe('CORS', () => {
  it('answers only configured origins, preflights included, and sends no CORS header by default', async () => {
    const open = await start({});
    const none = await post(open.url, { query: '{ genres }' }, { origin: 'https://app.example.com' });
    expect(none.headers.get('access-control-allow-origin')).toBeNull();
    expect(none.headers.get('x-content-type-options')).toBe('nosniff');

    const router = await start({ CORS_ORIGINS: 'https://app.example.com, https://tv.example.com' });
    const preflight = (origin: string) =>
      fetch(router.url, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, authorization' },
      });
    const allowed = await preflight('https://tv.example.com');
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://tv.example.com');
    expect(allowed.headers.get('access-control-allow-headers')).toContain('authorization');
    expect(allowed.headers.get('access-control-allow-credentials')).toBeNull();
    const refused = await preflight('https://evil.example.net');
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    const answer = await post(router.url, { query: '{ genres }' }, { origin: 'https://app.example.com' });
    expect([answer.status, answer.headers.get('access-control-allow-origin'), answer.headers.get('vary')]).toEqual([
      200,
      'https://app.example.com',
      expect.stringContaining('origin'),
    ]);
  });

  it('accepts only exact origins in CORS_ORIGINS', () => {
    expect(() => loadRouterConfig({ CORS_ORIGINS: '*' })).toThrow(/CORS_ORIGINS/);
    expect(() => loadRouterConfig({ CORS_ORIGINS: 'https://app.example.com/' })).toThrow(/CORS_ORIGINS/);
  });
});

describe('introspection', () => {
  it('is off in production unless asked for, and refused when off', async () => {
    const production = { NODE_ENV: 'production', JWT_SECRET: 'j'.repeat(40), SUBGRAPH_SECRET: 's'.repeat(40) };
    expect(loadRouterConfig(production).introspection).toBe(false);
    expect(loadRouterConfig({ ...production, INTROSPECTION: 'true' }).introspection).toBe(true);
    expect(loadRouterConfig({}).introspection).toBe(true);
    const router = await start({ INTROSPECTION: 'false' });
    const answer = await post(router.url, { query: '{ __schema { queryType { name } } }' }, { accept: 'application/graphql-response+json' });
    expect([answer.status, answer.codes]).toEqual([400, ['GRAPHQL_VALIDATION_FAILED']]);
  });
});

describe('production secrets', () => {
  it('refuses to start without SUBGRAPH_SECRET, or with a short one', () => {
    expect(() => loadRouterConfig({ NODE_ENV: 'production', JWT_SECRET: 'j'.repeat(40) })).toThrow(/SUBGRAPH_SECRET is required when NODE_ENV=production/);
    expect(() => loadRouterConfig({ SUBGRAPH_SECRET: 'short' })).toThrow(/SUBGRAPH_SECRET must be at least 32 characters/);
  });
});
