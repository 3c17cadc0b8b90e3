import { createLogger } from '@cinema/kit/logging';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisConnection } from '../src/redis-connection.js';

const redisUrl = process.env.REDIS_URL;
let redis: RedisConnection;

beforeAll(async () => {
  if (!redisUrl) return;
  redis = new RedisConnection({ url: redisUrl, logger: createLogger('test', 'silent'), name: 'test', commandTimeoutMs: 50, suspendAfterTimeoutMs: 300 });
  // Waits for the connection itself rather than polling for a fixed 2 s, which a loaded machine can overrun (the
  // cache would then fail open and the tests would read a Redis they never reached).
  const connected = new Promise<void>((resolve) => redis.onReady(resolve));
  redis.connect();
  await connected;
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
    // The operation never settles, so only the 50 ms command timeout can have answered. The bound is generous (a
    // loaded machine delays the watchdog) and only tells "timed out" from "waited for the test's own timeout".
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(redis.ready).toBe(false);
    let sent = false;
    expect(await redis.run(async () => ((sent = true), 'sent'), 'fallback')).toBe('fallback');
    expect(sent).toBe(false);
    // After the 300 ms suspension Redis is used again (polled: no fixed sleep to outguess the machine's load).
    await expect.poll(() => redis.run((client) => client.ping(), 'fallback'), { timeout: 10_000 }).toBe('PONG');
  });

  it('fails open on a command error', async () => {
    expect(await redis.run(() => Promise.reject(new Error('boom')), null)).toBeNull();
  });
});
