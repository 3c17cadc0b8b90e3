import { createDatabase } from '@cinema/db';
import { DEVELOPMENT_SUBGRAPH_SECRET } from '@cinema/kit/config';
import { createLogger } from '@cinema/kit/logging';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes } from '../../../test/support/graphql-client.js';
import { querySubgraph, startSubgraph, type RunningSubgraph } from '../../../test/support/subgraph-harness.js';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js';
import type { MoviesDatabase } from '../src/db/database.js';
import { createMoviesServer } from '../src/server.js';

let database: TestDatabase;
let db: Kysely<MoviesDatabase>;
let movies: RunningSubgraph;

const PAGE = `query($first: Int, $after: String) { movies(first: $first, after: $after) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }`;
const page = async (first: number, after: string | null) => {
  const response = await querySubgraph(movies.url, PAGE, { first, after });
  expect(response.body.errors).toBeUndefined();
  const { edges, pageInfo } = response.body.data.movies;
  return { ids: edges.map((edge: { node: { id: string } }) => Number(edge.node.id)) as number[], pageInfo };
};

beforeAll(async () => {
  database = await createTestDatabase('movie_pages');
  db = createDatabase<MoviesDatabase>({ connectionString: database.url, schema: 'movies', poolSize: 2 });
  await db
    .insertInto('movies')
    .values(Array.from({ length: 250 }, (_, i) => ({ title: `Film ${i + 1}` })))
    .execute();
  movies = await startSubgraph(
    await createMoviesServer({ db, logger: createLogger('movies', 'silent'), development: false, subgraphSecret: DEVELOPMENT_SUBGRAPH_SECRET }),
  );
});

afterAll(async () => {
  await movies?.close();
  await db?.destroy();
  await database?.drop();
});

describe('Query.movies pagination', () => {
  it('stays stable while films are added and removed between pages: no repeats, no pre-existing film skipped', async () => {
    const existing = (await db.selectFrom('movies').select('id').orderBy('id').execute()).map((row) => row.id);
    const seen: number[] = [];
    /** Films deleted before the walk reached them: the only pre-existing films it may miss. */
    const deletedAhead: number[] = [];
    let after: string | null = null;
    for (let round = 0; round < 20; round++) {
      const { ids, pageInfo } = await page(40, after);
      seen.push(...ids);
      // Between pages: two films arrive, and two go away: the one the cursor points at, and one further on.
      await db
        .insertInto('movies')
        .values([{ title: `Added ${round}a` }, { title: `Added ${round}b` }])
        .execute();
      const cursorFilm = ids.at(-1) ?? 0;
      await db
        .deleteFrom('movies')
        .where('id', 'in', [cursorFilm, cursorFilm + 5])
        .execute();
      deletedAhead.push(cursorFilm + 5);
      if (!pageInfo.hasNextPage) break;
      after = pageInfo.endCursor;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(existing.filter((id) => !seen.includes(id) && !deletedAhead.includes(id))).toEqual([]);
    // Films added during the walk come after the ones that were there, and the walk reaches them too.
    expect(seen.filter((id) => id > (existing.at(-1) ?? 0)).length).toBeGreaterThan(0);
  });

  it('caps `first` at 100 and rejects a cursor it did not make', async () => {
    expect((await page(100, null)).ids).toHaveLength(100);
    expect(errorCodes(await querySubgraph(movies.url, PAGE, { first: 101 }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await querySubgraph(movies.url, PAGE, { first: 10, after: 'MTA=' }))).toEqual(['BAD_USER_INPUT']);
  });
});
