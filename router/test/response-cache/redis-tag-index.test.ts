import { RedisConnection } from '@cinema/kit/cache';
import { createLogger } from '@cinema/kit/logging';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteTestKeys, testKeyPrefix } from '../../../test/support/redis-test-keys.js';
import { MemoryTagIndex } from '../../src/response-cache/memory-tag-index.js';
import { RedisTagIndex } from '../../src/response-cache/redis-tag-index.js';
import type { TagIndex } from '../../src/response-cache/tag-index.js';

const redisUrl = process.env.REDIS_URL;
const prefix = testKeyPrefix('tag-index');
const logger = createLogger('test', 'silent');
let redis: RedisConnection;

beforeAll(async () => {
  if (!redisUrl) return;
  redis = new RedisConnection({ url: redisUrl, logger, name: 'response-cache' });
  // Waits for the connection itself rather than polling for a fixed 2 s, which a loaded machine can overrun (the
  // cache would then fail open and the tests would read a Redis they never reached).
  const connected = new Promise<void>((resolve) => redis.onReady(resolve));
  redis.connect();
  await connected;
});

afterAll(async () => {
  if (!redisUrl) return;
  await redis.close();
  await deleteTestKeys(redisUrl, prefix);
});

const indexes: { name: string; make: () => TagIndex }[] = [
  { name: 'in process', make: () => new MemoryTagIndex(60_000) },
  ...(redisUrl ? [{ name: 'Redis', make: () => new RedisTagIndex({ redis, prefix: `${prefix}${Math.random()}:`, retentionSeconds: 60, logger }) }] : []),
];

describe.each(indexes)('tag index ($name)', ({ make }) => {
  it('an entry computed before an invalidation of one of its tags is stale; others and later ones are not', async () => {
    const index = make();
    const before = (await index.snapshot())!;
    expect(await index.latest(['Movie:1', 'Movie:2'])).toBeLessThanOrEqual(before);
    await index.invalidate(['Movie:1']);
    expect(await index.latest(['Movie:1'])).toBeGreaterThan(before);
    expect(await index.latest(['Movie:2'])).toBeLessThanOrEqual(before);
    const after = (await index.snapshot())!;
    expect(await index.latest(['Movie:1'])).toBeLessThanOrEqual(after);
  });
});

describe.skipIf(!redisUrl)('Redis tag index', () => {
  it('is shared: an invalidation through one instance is seen by another', async () => {
    const shared = `${prefix}shared:`;
    const a = new RedisTagIndex({ redis, prefix: shared, retentionSeconds: 60, logger });
    const b = new RedisTagIndex({ redis, prefix: shared, retentionSeconds: 60, logger });
    const reading = (await b.snapshot())!;
    await a.invalidate(['Person:9']);
    expect(await b.latest(['Person:9'])).toBeGreaterThan(reading);
    // Records expire with the responses they could affect: no key lives forever.
    expect(await redis.client.ttl(`${shared}tag:Person:9`)).toBeGreaterThan(50);
    expect(await redis.client.ttl(`${shared}clock`)).toBeGreaterThan(50);
  });

  it('a look-up made while an earlier one is on its way to Redis reads Redis again, after it was made', async () => {
    const shared = `${prefix}in-flight:`;
    const a = new RedisTagIndex({ redis, prefix: shared, retentionSeconds: 60, logger });
    const b = new RedisTagIndex({ redis, prefix: shared, retentionSeconds: 60, logger });
    const reading = (await b.snapshot())!;
    const first = b.latest(['Movie:77']);
    // The first look-up's MGET leaves once this turn's I/O is done; the invalidation is queued behind it.
    await new Promise((resolve) => setImmediate(resolve));
    await a.invalidate(['Movie:77']);
    const second = b.latest(['Movie:77']);
    expect(await first).toBeLessThanOrEqual(reading);
    expect(await second).toBeGreaterThan(reading);
  });

  it('answers every look-up of a burst, each with its own tags', async () => {
    const shared = `${prefix}burst:`;
    const a = new RedisTagIndex({ redis, prefix: shared, retentionSeconds: 60, logger });
    const reading = (await a.snapshot())!;
    await a.invalidate(['Movie:1']);
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => a.latest([`Movie:${i % 4}`])));
    results.forEach((latest, i) => (i % 4 === 1 ? expect(latest).toBeGreaterThan(reading) : expect(latest).toBe(0)));
  });
});
