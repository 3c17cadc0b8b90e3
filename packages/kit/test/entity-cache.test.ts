import { createLogger } from '@cinema/kit/logging';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteTestKeys, testKeyPrefix } from '../../../test/support/redis-test-keys.js';
import { EntityCache } from '../src/entity-cache.js';
import { RedisConnection } from '../src/redis-connection.js';

interface Row {
  id: number;
  name: string;
}

const redisUrl = process.env.REDIS_URL;
const prefix = testKeyPrefix('entity-cache');
let redis: RedisConnection;

beforeAll(async () => {
  if (!redisUrl) return;
  redis = new RedisConnection({ url: redisUrl, logger: createLogger('test', 'silent'), name: 'entity-cache' });
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

/** A fake table that records every batch it was asked for. */
function table(rows: Row[]) {
  const batches: number[][] = [];
  return {
    batches,
    fetch: async (ids: readonly number[]) => {
      batches.push([...ids]);
      return rows.filter((row) => ids.includes(row.id));
    },
  };
}

const rows: Row[] = [1, 2, 3, 4].map((id) => ({ id, name: `row ${id}` }));
const sorted = (values: Row[]) => [...values].sort((a, b) => a.id - b.id);
/**
 * Waits for everything already sent on the cache's connection, the unawaited write-back pipeline included: Redis
 * answers one connection's commands in order, so a PING sent after it is answered after it.
 */
const drained = () => redis.client.ping();

describe.skipIf(!redisUrl)('EntityCache on Redis', () => {
  it('reads through: one MGET, one fetch of the misses only, written back for the next batch', async () => {
    const cache = new EntityCache<number, Row>({ redis, prefix: `${prefix}a:`, ttlSeconds: 60 });
    const source = table(rows);
    expect(sorted(await cache.readThrough([1, 2], source.fetch, (row) => row.id))).toEqual(rows.slice(0, 2));
    await drained();
    expect(await redis.client.exists([cache.keyOf(1), cache.keyOf(2)])).toBe(2);
    expect(sorted(await cache.readThrough([1, 2, 3, 99], source.fetch, (row) => row.id))).toEqual(rows.slice(0, 3));
    expect(source.batches).toEqual([
      [1, 2],
      [3, 99],
    ]);
    expect(cache.stats).toMatchObject({ hits: 2, misses: 4 });
    expect(await redis.client.ttl(cache.keyOf(1))).toBeGreaterThan(50);
  });

  it('a delete wins over a read that started before it (no stale write-back)', async () => {
    const cache = new EntityCache<number, Row>({ redis, prefix: `${prefix}b:`, ttlSeconds: 60 });
    let release!: () => void;
    let fetching!: () => void;
    const fetchStarted = new Promise<void>((resolve) => (fetching = resolve));
    const slow = async (ids: readonly number[]) => {
      fetching();
      await new Promise<void>((resolve) => (release = resolve));
      return rows.filter((row) => ids.includes(row.id));
    };
    const read = cache.readThrough([1], slow, (row) => row.id);
    // The read has missed in Redis and is at the database: only now is the delete "during" the read.
    await fetchStarted;
    await cache.delete([1]); // the change commits while the read is in flight
    release();
    expect(await read).toEqual([rows[0]]);
    await drained();
    // The old row's write-back was refused: the key still holds the tombstone.
    expect(await redis.client.get(cache.keyOf(1))).toBe('\u0000deleted');
    const fresh = table([{ id: 1, name: 'renamed' }]);
    expect(await cache.readThrough([1], fresh.fetch, (row) => row.id)).toEqual([{ id: 1, name: 'renamed' }]);
  });

  it('fails open: with Redis unreachable every id comes from the source', async () => {
    const down = new RedisConnection({ url: 'redis://127.0.0.1:1', logger: createLogger('test', 'silent'), name: 'entity-cache' });
    down.connect();
    const cache = new EntityCache<number, Row>({ redis: down, prefix: `${prefix}c:`, ttlSeconds: 60 });
    const source = table(rows);
    expect(sorted(await cache.readThrough([1, 2], source.fetch, (row) => row.id))).toEqual(rows.slice(0, 2));
    await cache.delete([1]);
    expect(cache.stats.bypassed).toBe(1);
    await down.close();
  });
});
