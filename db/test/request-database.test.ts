import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase } from '../src/create-database.js';
import { databaseForRequest, QueryCancelledError } from '../src/request-database.js';
import { createTestDatabase, type TestDatabase } from '../../test/support/test-database.js';

let database: TestDatabase;
let db: Kysely<unknown>;
let admin: pg.Client;
const APPLICATION = 'request-database-test';

beforeAll(async () => {
  database = await createTestDatabase('request_db');
  db = createDatabase<unknown>({ connectionString: database.url, schema: 'public', poolSize: 2, applicationName: APPLICATION });
  admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
});

afterAll(async () => {
  await admin?.end();
  await db?.destroy();
  await database?.drop();
});

/** Statements of the pool under test that PostgreSQL is running right now. */
async function running(): Promise<string[]> {
  const { rows } = await admin.query<{ query: string }>(
    `select query from pg_stat_activity where datname = current_database() and application_name = $1 and state = 'active'`,
    [APPLICATION],
  );
  return rows.map((row) => row.query);
}

describe('databaseForRequest', () => {
  it('cancels the running statement in PostgreSQL when the request is given up', async () => {
    const request = new AbortController();
    const sleeping = sql`select pg_sleep(60)`.execute(databaseForRequest(db, request.signal)).then(
      () => 'finished',
      (error: { code?: string }) => error.code,
    );
    await expect.poll(running, { timeout: 10_000 }).toEqual(['select pg_sleep(60)']);
    request.abort();
    // 57014: query_canceled. Long before the 60 s sleep could have ended.
    expect(await sleeping).toBe('57014');
    await expect.poll(running, { timeout: 10_000 }).toEqual([]);
  });

  it('sends nothing for a request already given up, and closes a connection it may have left in a transaction', async () => {
    const request = new AbortController();
    const handle = databaseForRequest(db, request.signal);
    const transaction = handle.transaction().execute(async (trx) => {
      await sql`select 1`.execute(trx);
      request.abort();
      await sql`select 2`.execute(trx);
    });
    await expect(transaction).rejects.toBeInstanceOf(QueryCancelledError);
    await expect(sql`select 1`.execute(handle)).rejects.toBeInstanceOf(QueryCancelledError);
    // No connection of the pool is left inside the abandoned transaction, and the pool still serves.
    // The pool closes that connection on release, but the server ends its backend asynchronously: wait for it.
    const inTransaction = async () => {
      const { rows } = await admin.query<{ count: number }>(
        `select count(*)::int as count from pg_stat_activity where datname = current_database() and application_name = $1 and state like 'idle in transaction%'`,
        [APPLICATION],
      );
      return rows[0]!.count;
    };
    await expect.poll(inTransaction, { timeout: 10_000 }).toBe(0);
    expect((await sql<{ one: number }>`select 1 as one`.execute(db)).rows).toEqual([{ one: 1 }]);
  });

  it('survives a cancel that cannot reach PostgreSQL: the query runs to its end and the process lives on', async () => {
    // PostgreSQL through a relay that stops taking new connections once the query runs, as when the service's host
    // is cut off from the database's (or its name no longer resolves): the query's connection is up, but the
    // separate connection the CancelRequest needs is refused. Before, that connection's 'error' event had no
    // listener and ended the process (the multi-host lab's blackholed movies host died of it).
    const target = new URL(database.url);
    const sockets = new Set<Socket>();
    const relay: Server = createServer((client) => {
      const upstream = connect(Number(target.port || 5432), target.hostname);
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.on('error', () => undefined);
        socket.on('close', () => sockets.delete(socket));
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    const relayed = new URL(database.url);
    relayed.hostname = '127.0.0.1';
    relayed.port = String((relay.address() as AddressInfo).port);
    const cutOff = createDatabase<unknown>({ connectionString: relayed.href, schema: 'public', poolSize: 1, applicationName: APPLICATION });
    try {
      const request = new AbortController();
      const sleeping = sql`select pg_sleep(3)`.execute(databaseForRequest(cutOff, request.signal)).then(
        () => 'finished',
        (error: { code?: string }) => error.code,
      );
      await expect.poll(running, { timeout: 10_000 }).toEqual(['select pg_sleep(3)']);
      // Refuse every new connection from now on (the listening socket closes at once); the query's own stays.
      relay.close();
      request.abort();
      expect(await sleeping).toBe('finished');
      // The connection that ran it is closed, not lent again, and the pool opens a new one... which the relay refuses.
      await expect(sql`select 1`.execute(cutOff)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    } finally {
      for (const socket of sockets) socket.destroy();
      await cutOff.destroy();
    }
  });

  it('is the shared handle itself without a signal', () => {
    expect(databaseForRequest(db, undefined)).toBe(db);
  });
});
