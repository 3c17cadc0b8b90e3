import { createDatabase } from '@cinema/db';
import { createClient } from '@redis/client';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEVELOPMENT_JWT_SECRET } from '../../router/src/config.js';
import { signDevToken } from '../../router/src/dev-token.js';
import { graphql } from '../support/graphql-client.js';
import { seedSmallCatalogue, startInProcessPlatform, type InProcessPlatform } from '../support/in-process-platform.js';
import { deleteTestKeys, testKeyPrefix } from '../support/redis-test-keys.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

/**
 * The entity caches inside the movies and people services, with the real subgraphs and router on a real PostgreSQL
 * and Redis. A row changed in the database behind the cache's back tells where an answer came from: the old value
 * is Redis, the new one PostgreSQL. The router's response cache is off so every query reaches the subgraphs.
 */
const redisUrl = process.env.REDIS_URL;
const prefix = testKeyPrefix('entity-caches');
const TOMBSTONE = '\u0000deleted';

let database: TestDatabase;
let platform: InProcessPlatform;
let redis: ReturnType<typeof createClient>;

beforeAll(async () => {
  if (!redisUrl) return;
  database = await createTestDatabase('entity_caches');
  await seedSmallCatalogue(database.url);
  platform = await startInProcessPlatform(database.url, { entityCaches: { redisUrl, keyPrefix: prefix }, routerEnv: { RESPONSE_CACHE: 'false' } });
  redis = createClient({ url: redisUrl });
  await redis.connect();
});

afterAll(async () => {
  await platform?.stop();
  await redis?.close();
  await database?.drop();
  if (redisUrl) await deleteTestKeys(redisUrl, prefix);
});

/** Changes a row directly in PostgreSQL, as another writer would, without telling any cache. */
async function changeBehindTheCache(statement: ReturnType<typeof sql>): Promise<void> {
  const db = createDatabase<unknown>({ connectionString: database.url, schema: 'public', poolSize: 1, applicationName: 'entity-caches-test' });
  try {
    await statement.execute(db);
  } finally {
    await db.destroy();
  }
}

const movieKey = (id: string) => `${prefix}movies:movie:v1:${id}`;
const personKey = (id: string) => `${prefix}people:person:v1:${id}`;
const TITLE = `query($id: ID!) { movie(id: $id) { id title } }`;
const TITLES = `query($a: ID!, $b: ID!) { a: movie(id: $a) { title } b: movie(id: $b) { title } }`;

describe.skipIf(!redisUrl)('entity caches in the movies and people services', () => {
  it('movies: a batch of cached and uncached ids costs the database one statement, for the misses only', async () => {
    const [cached, missing] = ['21', '22'];
    const first = await graphql(platform.routerUrl, TITLE, { id: cached });
    expect(first.body.errors).toBeUndefined();
    // The write-back is not awaited by the request: wait for the key itself.
    await expect.poll(() => redis.exists(movieKey(cached)), { timeout: 10_000 }).toBe(1);
    expect(await redis.exists(movieKey(missing))).toBe(0);

    platform.resetStatements();
    const both = await graphql(platform.routerUrl, TITLES, { a: cached, b: missing });
    expect(both.body.errors).toBeUndefined();
    expect(both.body.data.a.title).toBe(first.body.data.movie.title);
    // One statement, for the one movie Redis did not have.
    expect(platform.statements().movies).toBe(1);
    await expect.poll(() => redis.exists(movieKey(missing)), { timeout: 10_000 }).toBe(1);
    platform.resetStatements();
    expect((await graphql(platform.routerUrl, TITLES, { a: cached, b: missing })).body.errors).toBeUndefined();
    expect(platform.statements().movies).toBe(0);
  });

  it('movies: a change through the graph leaves a tombstone, so the next read comes from the database', async () => {
    const id = '23';
    const before = (await graphql(platform.routerUrl, TITLE, { id })).body.data.movie.title as string;
    await expect.poll(() => redis.exists(movieKey(id)), { timeout: 10_000 }).toBe(1);
    await changeBehindTheCache(sql`update movies.movies set title = 'Renamed behind the cache' where id = ${Number(id)}`);
    // Still the cached title: the read never reached PostgreSQL.
    expect((await graphql(platform.routerUrl, TITLE, { id })).body.data.movie.title).toBe(before);

    const editor = await signDevToken('entity-cache-editor', DEVELOPMENT_JWT_SECRET, '1h', ['editor']);
    const changed = await graphql(
      platform.routerUrl,
      `
        mutation ($id: ID!) {
          setMovieGenres(movieId: $id, genres: ["Drama"]) {
            id
          }
        }
      `,
      { id },
      editor,
    );
    expect(changed.body.errors).toBeUndefined();
    // The mutation awaited the delete: the tombstone is there as soon as it answered.
    expect(await redis.get(movieKey(id))).toBe(TOMBSTONE);
    expect((await graphql(platform.routerUrl, TITLE, { id })).body.data.movie.title).toBe('Renamed behind the cache');
  });

  it('people: a person read once is served from Redis afterwards', async () => {
    const id = '31';
    const query = `query($id: ID!) { person(id: $id) { name } }`;
    const name = (await graphql(platform.routerUrl, query, { id })).body.data.person.name as string;
    await expect.poll(() => redis.exists(personKey(id)), { timeout: 10_000 }).toBe(1);
    await changeBehindTheCache(sql`update people.people set name = 'Renamed behind the cache' where id = ${Number(id)}`);
    platform.resetStatements();
    expect((await graphql(platform.routerUrl, query, { id })).body.data.person.name).toBe(name);
    expect(platform.statements().people).toBe(0);
  });
});
