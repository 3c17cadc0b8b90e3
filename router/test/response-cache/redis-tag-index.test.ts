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
    expect(await index.check(['Movie:1', 'Movie:2'], before, before)).toBeGreaterThanOrEqual(before);
    await index.invalidate(['Movie:1']);
    expect(await index.check(['Movie:1'], before, before)).toBe(false);
    expect(await index.check(['Movie:2'], before, before)).toBeGreaterThan(before);
    const after = (await index.snapshot())!;
    expect(await index.check(['Movie:1'], after, after)).toBeGreaterThanOrEqual(after);
  });

  it('an entry already found valid is checked against its tags again once the clock has moved', async () => {
    const index = make();
    const seq = (await index.snapshot())!;
    const validAt = await index.check(['Movie:3'], seq, seq);
    expect(validAt).not.toBe(false);
    await index.invalidate(['Movie:4']);
    // Another tag moved the clock: still valid, now as of a later position.
    const later = await index.check(['Movie:3'], seq, validAt as number);
    expect(later).toBeGreaterThan(validAt as number);
    await index.invalidate(['Movie:3']);
    expect(await index.check(['Movie:3'], seq, later as number)).toBe(false);
  });
});

describe.skipIf(!redisUrl)('Redis tag index', () => {
  /** The keys of every MGET sent through the returned connection. */
  const recording = (): { connection: RedisConnection; mgets: string[][] } => {
    const mgets: string[][] = [];
    const connection = new Proxy(redis, {
      get(target, property) {
        if (property !== 'run') {
          // Bound to the connection itself: its methods use private fields, which a proxy does not have.
          const value = Reflect.get(target, property, target) as unknown;
          return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
        }
        return (operation: (client: RedisConnection['client']) => Promise<unknown>, fallback: unknown) =>
          target.run(
            (client) =>
              operation(
                new Proxy(client, {
                  get(inner, name) {
                    if (name !== 'mGet') return Reflect.get(inner, name, inner) as unknown;
                    return (keys: string[]) => (mgets.push(keys), inner.mGet(keys));
                  },
                }),
              ),
            fallback,
          );
      },
    });
    return { connection, mgets };
  };

  it('is shared: an invalidation through one instance is seen by another', async () => {
    const shared = `${prefix}shared:`;
    const a = new RedisTagIndex({ redis, prefix: shared, retentionSeconds: 60, logger });
    const b = new RedisTagIndex({ redis, prefix: shared, retentionSeconds: 60, logger });
    const reading = (await b.snapshot())!;
    await a.invalidate(['Person:9']);
    expect(await b.check(['Person:9'], reading, reading)).toBe(false);
    // Records expire with the responses they could affect: no key lives forever.
    expect(await redis.client.ttl(`${shared}tag:Person:9`)).toBeGreaterThan(50);
    expect(await redis.client.ttl(`${shared}clock`)).toBeGreaterThan(50);
  });

  it('reads only the clock for an entry valid as of the last clock reading, and its tags once another instance invalidated one', async () => {
    const shared = `${prefix}clock-first:`;
    const a = new RedisTagIndex({ redis, prefix: shared, retentionSeconds: 60, logger });
    const { connection, mgets } = recording();
    const b = new RedisTagIndex({ redis: connection, prefix: shared, retentionSeconds: 60, logger });
    await a.invalidate(['Movie:0']);
    const seq = (await b.snapshot())!;
    // Found valid at the clock it was computed at, then at each later check: the tags are never read meanwhile.
    let validAt = await b.check(['Movie:5', 'Person:6'], seq, seq);
    for (let i = 0; i < 3; i++) validAt = await b.check(['Movie:5', 'Person:6'], seq, validAt as number);
    expect(validAt).toBe(seq);
    expect(mgets).toEqual(Array.from({ length: 4 }, () => [`${shared}clock`]));

    // Through the other instance: the clock has moved past `validAt`, so the same check must read the tags.
    mgets.length = 0;
    await a.invalidate(['Person:6']);
    expect(await b.check(['Movie:5', 'Person:6'], seq, validAt as number)).toBe(false);
    expect(mgets).toEqual([[`${shared}clock`], [`${shared}clock`, `${shared}tag:Movie:5`, `${shared}tag:Person:6`, `${shared}tag:*`]]);

    // A check made knowing the clock moved reads the tags in its first MGET.
    mgets.length = 0;
    expect(await b.check(['Movie:5'], seq, seq)).toBeGreaterThan(seq);
    expect(mgets).toEqual([[`${shared}clock`, `${shared}tag:Movie:5`, `${shared}tag:*`]]);
  });

  it('a look-up made while an earlier one is on its way to Redis reads Redis again, after it was made', async () => {
    const shared = `${prefix}in-flight:`;
    const a = new RedisTagIndex({ redis, prefix: shared, retentionSeconds: 60, logger });
    const b = new RedisTagIndex({ redis, prefix: shared, retentionSeconds: 60, logger });
    const reading = (await b.snapshot())!;
    const first = b.check(['Movie:77'], reading, reading);
    // The first look-up's MGET leaves once this turn's I/O is done; the invalidation is queued behind it.
    await new Promise((resolve) => setImmediate(resolve));
    await a.invalidate(['Movie:77']);
    const second = b.check(['Movie:77'], reading, reading);
    expect(await first).toBe(reading);
    expect(await second).toBe(false);
  });

  it('answers every look-up of a burst, each with its own tags', async () => {
    const shared = `${prefix}burst:`;
    const a = new RedisTagIndex({ redis, prefix: shared, retentionSeconds: 60, logger });
    const reading = (await a.snapshot())!;
    await a.invalidate(['Movie:1']);
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => a.check([`Movie:${i % 4}`], reading, reading)));
    results.forEach((validAt, i) => (i % 4 === 1 ? expect(validAt).toBe(false) : expect(validAt).toBeGreaterThan(reading)));
  });
});
