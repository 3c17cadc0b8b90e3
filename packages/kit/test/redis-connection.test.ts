import { createLogger } from '@cinema/kit/logging';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisConnection } from '../src/redis-connection.js';

const redisUrl = process.env.REDIS_URL;
let redis: RedisConnection;

beforeAll(async () => {
  if (!redisUrl) return;
  redis = new RedisConnection({ url: redisUrl, logger: createLogger('test', 'silent'), name: 'test', commandTimeoutMs: 50, suspendAfterTimeoutMs: 300 });
  redis.connect();
  for (let attempt = 0; !redis.ready && attempt < 100; attempt++) await new Promise((resolve) => setTimeout(resolve, 20));
});

afterAll(async () => {
  await redis?.close();
});

describe.skipIf(!redisUrl)('RedisConnection', () => {
  it('answers the operation’s result while Redis answers', async () => {
    expect(await redis.run((client) => client.ping(), 'fallback')).toBe('PONG');
  });

  it('gives the fallback after the timeout, then skips Redis for a while instead of waiting on it again', async () => {
    const started = Date.now();
    expect(await redis.run(() => new Promise<string>(() => undefined), 'fallback')).toBe('fallback');
    expect(Date.now() - started).toBeLessThan(500);
    expect(redis.ready).toBe(false);
    let sent = false;
    expect(await redis.run(async () => ((sent = true), 'sent'), 'fallback')).toBe('fallback');
    expect(sent).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(await redis.run((client) => client.ping(), 'fallback')).toBe('PONG');
  });

  it('fails open on a command error', async () => {
    expect(await redis.run(() => Promise.reject(new Error('boom')), null)).toBeNull();
  });
});
