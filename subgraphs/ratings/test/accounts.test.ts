import { createDatabase } from '@cinema/db';
import { DEVELOPMENT_JWT_SECRET, DEVELOPMENT_SUBGRAPH_SECRET } from '@cinema/kit/config';
import { createLogger } from '@cinema/kit/logging';
import { jwtVerify } from 'jose';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes } from '../../../test/support/graphql-client.js';
import { querySubgraph, startSubgraph, type RunningSubgraph } from '../../../test/support/subgraph-harness.js';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js';
import type { RatingsDatabase } from '../src/db/database.js';
import { hashPassword, verifyPassword } from '../src/password-hash.js';
import { createRatingsServer } from '../src/server.js';

let database: TestDatabase;
let db: Kysely<RatingsDatabase>;
let ratings: RunningSubgraph;

const SIGN_UP = 'mutation($email: String!, $password: String!) { signUp(email: $email, password: $password) { token expiresAt user { id } } }';
const LOG_IN = 'mutation($email: String!, $password: String!) { logIn(email: $email, password: $password) { token expiresAt user { id } } }';
const signUp = (email: string, password: string) => querySubgraph(ratings.url, SIGN_UP, { email, password });
const logIn = (email: string, password: string) => querySubgraph(ratings.url, LOG_IN, { email, password });
const secret = new TextEncoder().encode(DEVELOPMENT_JWT_SECRET);

beforeAll(async () => {
  database = await createTestDatabase('accounts');
  db = createDatabase<RatingsDatabase>({ connectionString: database.url, schema: 'ratings', poolSize: 4 });
  const server = await createRatingsServer({
    db,
    logger: createLogger('ratings', 'silent'),
    development: false,
    subgraphSecret: DEVELOPMENT_SUBGRAPH_SECRET,
    jwtSecret: DEVELOPMENT_JWT_SECRET,
    moviesFeedUrls: ['http://127.0.0.1:9'],
    catalogueSyncIntervalMs: 60_000,
  });
  ratings = await startSubgraph(server);
});

afterAll(async () => {
  await ratings?.close();
  await db?.destroy();
  await database?.drop();
});

describe('signUp and logIn', () => {
  it('create an account and sign it in with a token the router accepts, valid for seven days', async () => {
    const before = Date.now();
    const response = await signUp('  Ada@Example.com ', 'correct horse battery');
    expect(response.body.errors).toBeUndefined();
    const after = Date.now();
    const { token, expiresAt, user } = response.body.data.signUp;
    const { payload, protectedHeader } = await jwtVerify(token, secret, { algorithms: ['HS256'] });
    expect(protectedHeader.alg).toBe('HS256');
    expect(payload.sub).toBe(user.id);
    expect(payload.exp! * 1000).toBe(Date.parse(expiresAt));
    // Whole seconds, issued between `before` and `after`.
    expect(Date.parse(expiresAt)).toBeGreaterThan(before - 1_000 + 7 * 24 * 3600_000);
    expect(Date.parse(expiresAt)).toBeLessThanOrEqual(after + 7 * 24 * 3600_000);

    const logged = await logIn('ada@example.com', 'correct horse battery');
    expect(logged.body.data.logIn.user.id).toBe(user.id);
    expect((await jwtVerify(logged.body.data.logIn.token, secret)).payload.sub).toBe(user.id);
  });

  it('store a salted scrypt hash, never the password', async () => {
    await signUp('grace@example.com', 'correct horse battery');
    const rows = await db.selectFrom('accounts').select(['email', 'password_hash']).orderBy('email').execute();
    expect(rows.map((row) => row.email)).toEqual(['ada@example.com', 'grace@example.com']);
    for (const row of rows) expect(row.password_hash).toMatch(/^scrypt\$15\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    // Same password, different salts.
    expect(rows[0]!.password_hash).not.toBe(rows[1]!.password_hash);
    expect(JSON.stringify(rows)).not.toContain('correct horse');
  });

  it('refuse an address that has an account, whatever its case, with EMAIL_TAKEN', async () => {
    expect(errorCodes(await signUp('ADA@example.com', 'another long password'))).toEqual(['EMAIL_TAKEN']);
    expect(Number((await db.selectFrom('accounts').select(db.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)).toBe(2);
  });

  it('refuse malformed addresses and passwords outside 10 to 128 characters with BAD_USER_INPUT', async () => {
    for (const [email, password] of [
      ['not-an-email', 'long enough password'],
      ['a@b', 'long enough password'],
      [`${'x'.repeat(250)}@example.com`, 'long enough password'],
      ['short@example.com', 'too short'],
      ['long@example.com', 'x'.repeat(129)],
    ] as const) {
      expect(errorCodes(await signUp(email, password)), `${email} / ${password.length}`).toEqual(['BAD_USER_INPUT']);
    }
  });

  it('answer a wrong password and an unknown address alike: INVALID_CREDENTIALS, same message', async () => {
    const wrong = await logIn('ada@example.com', 'wrong horse battery');
    const unknown = await logIn('nobody@example.com', 'correct horse battery');
    expect(errorCodes(wrong)).toEqual(['INVALID_CREDENTIALS']);
    expect(errorCodes(unknown)).toEqual(['INVALID_CREDENTIALS']);
    expect(unknown.body.errors?.[0]?.message).toBe(wrong.body.errors?.[0]?.message);
    expect(errorCodes(await logIn('ada@example.com', 'x'.repeat(100_000)))).toEqual(['INVALID_CREDENTIALS']);
  });
});

describe('password hashes', () => {
  it('verify the right password only, and spend a hash on an unknown account too', async () => {
    const stored = await hashPassword('correct horse battery');
    expect(await verifyPassword('correct horse battery', stored)).toBe(true);
    expect(await verifyPassword('correct horse batterY', stored)).toBe(false);
    // Composed and decomposed forms of the same text are the same password.
    const composed = await hashPassword('caf\u00e9 au lait!');
    expect(await verifyPassword('cafe\u0301 au lait!', composed)).toBe(true);
    // The fastest of three runs each: a pause of the loaded machine can only lengthen a run, never shorten one.
    const time = async (stored: string | null) => {
      let fastest = Number.POSITIVE_INFINITY;
      for (let run = 0; run < 3; run++) {
        const started = performance.now();
        await verifyPassword('whatever password', stored);
        fastest = Math.min(fastest, performance.now() - started);
      }
      return fastest;
    };
    const [known, unknown] = [await time(stored), await time(null)];
    // Both derive a 32 MiB scrypt hash, never a fast path: a skipped derivation would be a thousand times quicker,
    // so a factor of 10 is generous both ways.
    expect(unknown).toBeGreaterThan(known / 10);
  });
});
