import KeyvRedis from '@keyv/redis';
import { createClient } from '@redis/client';
import { RedisConnection } from '@cinema/kit/cache';
import { createLogger } from '@cinema/kit/logging';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadlineOf, ResponseStore, type CachedResponse } from '../../src/response-cache/response-store.js';
import { startTestRedisServer, type TestRedisServer } from '../../../test/support/redis-server.js';

const entry: CachedResponse = {
  body: '{"data":{}}',
  contentType: 'application/json',
  scope: 'PUBLIC',
  maxAge: 60,
  storedAt: Date.now(),
  seq: 1,
  tags: ['Movie:1'],
};

/**
 * A Redis that stops answering without closing the connection (a host whose packets are dropped) must cost a
 * response-store lookup the command deadline, not the time until it answers again. `CLIENT PAUSE` makes a Redis of
 * the test's own hold every command, the same silence as seen from the client; the shared Redis is never paused.
 */
describe('ResponseStore over a silent Redis', () => {
  let server: TestRedisServer;
  let connection: RedisConnection;
  let admin: ReturnType<typeof createClient>;

  beforeAll(async () => {
    server = await startTestRedisServer();
    connection = new RedisConnection({ url: server.url, logger: createLogger('response-store-test', 'silent'), name: 'response-cache', commandTimeoutMs: 100 });
    connection.connect();
    await new Promise<void>((resolve) => (connection.ready ? resolve() : connection.onReady(resolve)));
    admin = createClient({ url: server.url });
    await admin.connect();
  });

  afterAll(async () => {
    await admin?.close().catch(() => undefined);
    await connection?.close();
    await server?.stop();
  });

  it('stores and finds entries while Redis answers', async () => {
    const store = new ResponseStore(new KeyvRedis(connection.client, { throwOnErrors: true, throwOnConnectError: false }), deadlineOf(connection));
    await store.set('test:response:a', entry, 60_000);
    expect((await store.getMany(['test:response:a', 'test:response:missing'])).map((found) => found?.body)).toEqual([entry.body, undefined]);
  });

  it('gives up on a lookup after the command deadline while Redis is silent', async () => {
    const store = new ResponseStore(new KeyvRedis(connection.client, { throwOnErrors: true, throwOnConnectError: false }), deadlineOf(connection));
    await admin.sendCommand(['CLIENT', 'PAUSE', '3000', 'ALL']);
    try {
      // Rejected, not answered: had it waited for Redis it would have got the entry once the pause ended.
      await expect(store.getMany(['test:response:a'])).rejects.toThrow(/unavailable or too slow/);
      // Suspended after the timeout: the next lookup is refused without a command sent (state, not a stopwatch).
      expect(connection.ready).toBe(false);
      await expect(store.getMany(['test:response:a'])).rejects.toThrow(/unavailable or too slow/);
    } finally {
      await admin.sendCommand(['CLIENT', 'UNPAUSE']);
    }
  });
});
