import { createDatabase } from '@cinema/db';
import { DEVELOPMENT_JWT_SECRET, DEVELOPMENT_SUBGRAPH_SECRET } from '@cinema/kit/config';
import { createLogger } from '@cinema/kit/logging';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, type GraphQLResponse } from '../../../test/support/graphql-client.js';
import { querySubgraph, startSubgraph, type RunningSubgraph } from '../../../test/support/subgraph-harness.js';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js';
import { applyCatalogueEvents } from '../src/catalogue-projection.repository.js';
import type { RatingsDatabase } from '../src/db/database.js';
import { rateMovie } from '../src/rating.repository.js';
import { createRatingsServer } from '../src/server.js';

let database: TestDatabase;
let db: Kysely<RatingsDatabase>;
let ratings: RunningSubgraph;

const MY_RATINGS = `query($first: Int, $after: String) {
  me { id ratings(first: $first, after: $after) { edges { cursor node { score movie { id } } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }
}`;
const dana = { userId: 'dana', roles: [] };

beforeAll(async () => {
  database = await createTestDatabase('user_ratings');
  db = createDatabase<RatingsDatabase>({ connectionString: database.url, schema: 'ratings', poolSize: 4 });
  await applyCatalogueEvents(
    db,
    Array.from({ length: 30 }, (_, i) => ({ seq: i + 1, kind: 'movie.upserted' as const, movieId: i + 1, genres: ['Drama'] })),
  );
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

async function walk(first: number, identity = dana) {
  const pages: { ids: number[]; scores: number[] }[] = [];
  let after: string | null = null;
  for (;;) {
    const response: GraphQLResponse = await querySubgraph(ratings.url, MY_RATINGS, { first, after }, identity);
    expect(response.body.errors).toBeUndefined();
    const { edges, pageInfo } = response.body.data.me.ratings;
    pages.push({
      ids: edges.map((e: { node: { movie: { id: string } } }) => Number(e.node.movie.id)),
      scores: edges.map((e: { node: { score: number } }) => e.node.score),
    });
    expect(pageInfo.hasPreviousPage).toBe(after !== null);
    if (!pageInfo.hasNextPage) return pages;
    after = pageInfo.endCursor;
  }
}

describe('Query.me', () => {
  it('is UNAUTHENTICATED without a signed-in user', async () => {
    const response = await querySubgraph(ratings.url, MY_RATINGS, { first: 5 });
    expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
    expect(response.body.data?.me ?? null).toBeNull();
  });

  it('lists the signed-in user’s ratings newest first, a re-rating moving to the top', async () => {
    for (const movieId of [3, 1, 2]) await rateMovie(db, { userId: 'dana', movieId, score: movieId + 4 });
    await rateMovie(db, { userId: 'other', movieId: 4, score: 9 });
    expect(await walk(10)).toEqual([{ ids: [2, 1, 3], scores: [6, 5, 7] }]);
    await rateMovie(db, { userId: 'dana', movieId: 3, score: 10 });
    expect((await walk(10))[0]).toEqual({ ids: [3, 2, 1], scores: [10, 6, 5] });
  });

  it('pages with cursors through ratings written in the same millisecond, without repeats or gaps', async () => {
    // 25 ratings whose update times differ by microseconds only, and 5 that share one instant exactly.
    await db.deleteFrom('ratings').where('user_id', '=', 'dana').execute();
    await db
      .insertInto('users')
      .values({ id: 'dana' })
      .onConflict((oc) => oc.doNothing())
      .execute();
    await db
      .insertInto('ratings')
      .values(
        Array.from({ length: 30 }, (_, i) => ({
          user_id: 'dana',
          movie_id: i + 1,
          score: (i % 10) + 1,
          updated_at: sql<Date>`timestamptz '2026-01-01 12:00:00.123' + ${i < 25 ? i : 25} * interval '1 microsecond'`,
        })),
      )
      .execute();
    const pages = await walk(7);
    expect(pages.map((page) => page.ids.length)).toEqual([7, 7, 7, 7, 2]);
    // Newest first; the five that tie on time come by movie id, descending.
    expect(pages.flatMap((page) => page.ids)).toEqual([30, 29, 28, 27, 26, ...Array.from({ length: 25 }, (_, i) => 25 - i)]);
  });

  it('caps `first` at 100 and refuses a foreign cursor', async () => {
    expect(errorCodes(await querySubgraph(ratings.url, MY_RATINGS, { first: 101 }, dana))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await querySubgraph(ratings.url, MY_RATINGS, { first: 5, after: 'bm9wZQ' }, dana))).toEqual(['BAD_USER_INPUT']);
  });

  it('shows a user’s ratings to that user only', async () => {
    const response = await querySubgraph(
      ratings.url,
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on User { ratings(first: 1) { edges { cursor } } } } }`,
      { r: [{ __typename: 'User', id: 'dana' }] },
      { userId: 'mallory', roles: [] },
    );
    expect(errorCodes(response)).toEqual(['FORBIDDEN']);
  });
});
