import { createClient } from '@redis/client';

/** A key prefix of this test run's own, so tests sharing CI's Redis never read or delete each other's keys. */
export function testKeyPrefix(label: string): string {
  return `test:${label}:${process.pid}:${Math.random().toString(36).slice(2, 10)}:`;
}

/**
 * Deletes every key under `prefix` (a test's own, from {@link testKeyPrefix}). Tests only: it walks the keyspace
 * with SCAN, which the product never does.
 */
export async function deleteTestKeys(redisUrl: string, prefix: string): Promise<void> {
  if (!prefix.startsWith('test:')) throw new Error(`refusing to delete keys outside a test prefix: ${prefix}`);
  const client = createClient({ url: redisUrl });
  client.on('error', () => undefined);
  await client.connect();
  try {
    for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) if (keys.length > 0) await client.del(keys);
  } finally {
    await client.close();
  }
}
