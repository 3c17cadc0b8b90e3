import { RedisConnection } from '@cinema/kit/cache';
import { createLogger, type Logger } from '@cinema/kit/logging';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryRateLimiter } from '../src/rate-limit/memory-rate-limiter.js';
import { RedisRateLimiter } from '../src/rate-limit/redis-rate-limiter.js';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `test:rate-limiter:${process.pid}:${Math.random().toString(36).slice(2)}:`;
const silent = createLogger('rate-limiter-test', 'silent');
const connections: RedisConnection[] = [];

const connect = async (url: string, logger = silent): Promise<RedisConnection> => {
  const redis = new RedisConnection({ url, logger, name: 'rate-limit', commandTimeoutMs: 500, logIntervalMs: 60_000 });
  connections.push(redis);
  redis.connect();
  if (url === redisUrl) await new Promise<void>((resolve) => (redis.ready ? resolve() : redis.onReady(resolve)));
  return redis;
};

afterAll(async () => {
  const cleanup = connections.find((connection) => connection.ready);
  const keys = cleanup ? await cleanup.client.keys(`${prefix}*`) : [];
  if (cleanup && keys.length > 0) await cleanup.client.del(keys);
  for (const connection of connections) await connection.close();
});

describe('MemoryRateLimiter', () => {
  it('allows a burst of the per-minute allowance, then refills continuously', async () => {
    let now = 0;
    const limiter = new MemoryRateLimiter(60, () => now);
    for (let i = 0; i < 60; i++) expect((await limiter.take('a', 1)).allowed).toBe(true);
    expect(await limiter.take('a', 1)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect((await limiter.take('b', 1)).allowed).toBe(true);
    now += 1_000;
    expect((await limiter.take('a', 1)).allowed).toBe(true);
    expect(await limiter.take('a', 5)).toEqual({ allowed: false, retryAfterSeconds: 5 });
  });
});

describe('RedisRateLimiter', () => {
  it('shares one bucket between limiters on different connections, atomically', async () => {
    const [first, second] = [new RedisRateLimiter(await connect(redisUrl), 10, prefix), new RedisRateLimiter(await connect(redisUrl), 10, prefix)];
    // Twenty concurrent takes from two "router instances": exactly the ten tokens are spent.
    const decisions = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? first : second).take('user:alice', 1)));
    expect(decisions.filter((decision) => decision?.allowed)).toHaveLength(10);
    const refused = decisions.find((decision) => decision && !decision.allowed);
    expect(refused?.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(refused?.retryAfterSeconds).toBeLessThanOrEqual(6);
    expect((await first.take('user:bob', 1))?.allowed).toBe(true);
  });

  it('charges a batch one token per operation', async () => {
    const limiter = new RedisRateLimiter(await connect(redisUrl), 10, prefix);
    expect((await limiter.take('ip:10.0.0.1', 8))?.allowed).toBe(true);
    expect((await limiter.take('ip:10.0.0.1', 3))?.allowed).toBe(false);
    expect((await limiter.take('ip:10.0.0.1', 2))?.allowed).toBe(true);
  });

  it('fails open when Redis is unreachable, with one log line for many requests', async () => {
    const lines: string[] = [];
    const logger = { warn: (_details: unknown, message: string) => lines.push(message), info: () => undefined } as unknown as Logger;
    const limiter = new RedisRateLimiter(await connect('redis://127.0.0.1:1', logger), 10, prefix);
    const started = performance.now();
    const decisions = await Promise.all(Array.from({ length: 50 }, () => limiter.take('user:carol', 1)));
    expect(decisions.every((decision) => decision === null)).toBe(true);
    // Without waiting on Redis (which would queue the commands until it came back, i.e. forever here); 10 s is only
    // a generous ceiling for a loaded machine, the decisions take milliseconds.
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(lines.filter((line) => line.includes('Redis unavailable'))).toHaveLength(1);
  });
});
