import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RedisConnection } from '@cinema/kit/cache';
import { createLogger } from '@cinema/kit/logging';
import { startServiceProcess, type ServiceProcess } from '@cinema/kit/service-process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEVELOPMENT_JWT_SECRET } from '../src/config.js';
import { signDevToken } from '../src/dev-token.js';
import { operationHash } from '../src/persisted-queries/persisted-query-manifest.js';
import { startFakeSubgraphs, type FakeSubgraphs } from './support/fake-subgraphs.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `test:rate-limit-e2e:${process.pid}:${Math.random().toString(36).slice(2)}:`;
const PER_MINUTE = 6;

let subgraphs: FakeSubgraphs;
let routers: ServiceProcess[] = [];

const post = async (router: ServiceProcess, body: unknown, headers: Record<string, string> = {}) => {
  const response = await fetch(`${router.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    codes: (json.errors ?? []).map((e) => e.extensions?.code),
    data: json.data,
  };
};

beforeAll(async () => {
  subgraphs = await startFakeSubgraphs();
  const env = {
    ...process.env,
    ...subgraphs.env,
    PORT: '0',
    LOG_LEVEL: 'error',
    NODE_ENV: 'development',
    REDIS_URL: redisUrl,
    CACHE_KEY_PREFIX: prefix,
    RATE_LIMIT: String(PER_MINUTE),
    RESPONSE_CACHE: 'false',
    // The limiter fails open when Redis answers later than this (100 ms by default); on a loaded 2-core machine a
    // command can take that long, and the 429s asserted here must come from Redis's count, not from a timeout.
    REDIS_COMMAND_TIMEOUT_MS: '5000',
  };
  routers = await Promise.all([1, 2].map((n) => startServiceProcess({ name: `router-${n}`, entry: path.join(repoRoot, 'router', 'src', 'index.ts'), env })));
});

afterAll(async () => {
  await Promise.all(routers.map((router) => router.stop()));
  await subgraphs?.close();
  const redis = new RedisConnection({ url: redisUrl, logger: createLogger('rate-limit-e2e', 'silent'), name: 'test-cleanup', commandTimeoutMs: 2_000 });
  redis.connect();
  await new Promise<void>((resolve) => redis.onReady(resolve));
  const keys = await redis.client.keys(`${prefix}*`);
  if (keys.length > 0) await redis.client.del(keys);
  await redis.close();
});

describe('two router processes sharing Redis', () => {
  it('hold one rate limit per user between them: 429 with Retry-After once it is spent, whichever router is asked', async () => {
    const token = await signDevToken('rate-limited-user', DEVELOPMENT_JWT_SECRET);
    const answers = [];
    for (let i = 0; i < PER_MINUTE + 3; i++) answers.push(await post(routers[i % 2]!, { query: '{ genres }' }, { authorization: `Bearer ${token}` }));
    expect(answers.slice(0, PER_MINUTE).map((a) => a.status)).toEqual(Array(PER_MINUTE).fill(200));
    for (const refused of answers.slice(PER_MINUTE)) {
      expect(refused.status).toBe(429);
      expect(refused.codes).toEqual(['RATE_LIMITED']);
      expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
    }
    // Another user (and anonymous clients, by address) have allowances of their own.
    const other = await signDevToken('another-user', DEVELOPMENT_JWT_SECRET);
    expect((await post(routers[1]!, { query: '{ genres }' }, { authorization: `Bearer ${other}` })).status).toBe(200);
    expect((await post(routers[0]!, { query: '{ genres }' })).status).toBe(200);
  });

  it('count a batch as one request per operation', async () => {
    const token = await signDevToken('batching-user', DEVELOPMENT_JWT_SECRET);
    const headers = { authorization: `Bearer ${token}` };
    expect(
      (
        await post(
          routers[0]!,
          Array.from({ length: PER_MINUTE - 1 }, () => ({ query: '{ genres }' })),
          headers,
        )
      ).status,
    ).toBe(200);
    expect((await post(routers[1]!, [{ query: '{ genres }' }, { query: '{ genres }' }], headers)).status).toBe(429);
  });

  it('share automatic persisted queries: registered on one router, run by hash on the other', async () => {
    const query = '{ alsoGenres: genres }';
    const extensions = { persistedQuery: { version: 1, sha256Hash: operationHash(query) } };
    const token = await signDevToken('apq-user', DEVELOPMENT_JWT_SECRET);
    expect((await post(routers[0]!, { query, extensions }, { authorization: `Bearer ${token}` })).status).toBe(200);
    const byHash = await post(routers[1]!, { extensions }, { authorization: `Bearer ${token}` });
    expect([byHash.status, byHash.codes]).toEqual([200, []]);
  });
});
