import { createDatabase } from '@cinema/db';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js';
import { applyCatalogueEvents } from '../src/catalogue-projection.repository.js';
import type { RatingsDatabase } from '../src/db/database.js';
import { findTopRatedMovieIds } from '../src/ranking.repository.js';
import { rateMovie, UnknownMovieError } from '../src/rating.repository.js';

let database: TestDatabase;
let db: Kysely<RatingsDatabase>;

beforeAll(async () => {
  database = await createTestDatabase('ratings_repo');
  db = createDatabase<RatingsDatabase>({ connectionString: database.url, schema: 'ratings', poolSize: 12 });
});

afterAll(async () => {
  await db?.destroy();
  await database?.drop();
});

beforeEach(async () => {
  for (const table of ['genre_rankings', 'catalogue_movies', 'movie_rating_stats', 'ratings', 'users', 'feed_cursors'] as const) {
    await db.deleteFrom(table).execute();
  }
  await db.updateTable('rating_prior').set({ mean: 6.5, weight: 20 }).execute();
  await applyCatalogueEvents(
    db,
    [1, 2, 3, 4, 5].map((movieId) => ({ seq: movieId, kind: 'movie.upserted' as const, movieId, genres: movieId <= 3 ? ['Drama', 'Crime'] : ['Comedy'] })),
  );
});

/** Statistics as they are, next to what a from-scratch recomputation over the ratings gives. */
async function statsAndRecomputation() {
  const read = () =>
    db.selectFrom('movie_rating_stats').select(['movie_id', 'rating_count', 'rating_sum', 'histogram', 'weighted_score']).orderBy('movie_id').execute();
  const readRankings = () => db.selectFrom('genre_rankings').selectAll().orderBy('genre').orderBy('movie_id').execute();
  const incremental = { stats: await read(), rankings: await readRankings() };
  await sql`select recompute_statistics(false)`.execute(db);
  return { incremental, recomputed: { stats: await read(), rankings: await readRankings() } };
}

describe('rateMovie', () => {
  it('keeps statistics equal to a from-scratch recomputation under concurrent rating and re-rating', async () => {
    const writes: Promise<unknown>[] = [];
    for (let user = 0; user < 25; user++) {
      for (let round = 0; round < 4; round++) {
        for (const movieId of [1, 2, 4]) {
          writes.push(rateMovie(db, { userId: `user-${user}`, movieId, score: ((user * 7 + round * 3 + movieId) % 10) + 1 }));
        }
      }
    }
    await Promise.all(writes);
    const { incremental, recomputed } = await statsAndRecomputation();
    expect(incremental.stats.map((s) => s.rating_count)).toEqual([25, 25, 25]);
    expect(incremental.stats).toEqual(recomputed.stats);
    expect(incremental.rankings).toEqual(recomputed.rankings);
  });

  it('stays equal to a recomputation when catalogue genre changes interleave with the rating writes', async () => {
    const writes: Promise<unknown>[] = [];
    for (let round = 0; round < 30; round++) {
      for (let user = 0; user < 8; user++) {
        const movieId = ((user + round) % 5) + 1;
        writes.push(rateMovie(db, { userId: `user-${user}`, movieId, score: ((user * 3 + round) % 10) + 1 }));
      }
      const movieId = (round % 5) + 1;
      writes.push(applyCatalogueEvents(db, [{ seq: 100 + round, kind: 'movie.upserted', movieId, genres: round % 2 === 0 ? ['Drama'] : ['Comedy', 'Crime'] }]));
    }
    await Promise.all(writes);
    const { incremental, recomputed } = await statsAndRecomputation();
    expect(incremental.stats.reduce((sum, s) => sum + s.rating_count, 0)).toBe(40);
    expect(incremental.stats).toEqual(recomputed.stats);
    expect(incremental.rankings).toEqual(recomputed.rankings);
  });

  it('is idempotent per user and movie', async () => {
    await rateMovie(db, { userId: 'dana', movieId: 3, score: 8 });
    await rateMovie(db, { userId: 'dana', movieId: 3, score: 8 });
    const stats = await db.selectFrom('movie_rating_stats').selectAll().where('movie_id', '=', 3).executeTakeFirstOrThrow();
    expect(stats.rating_count).toBe(1);
    expect(stats.rating_sum).toBe(8);
    expect(stats.histogram).toEqual([0, 0, 0, 0, 0, 0, 0, 1, 0, 0]);
  });

  it('refuses a movie outside the catalogue and writes nothing, not even the user', async () => {
    await expect(rateMovie(db, { userId: 'erin', movieId: 999, score: 5 })).rejects.toBeInstanceOf(UnknownMovieError);
    expect(await db.selectFrom('users').selectAll().where('id', '=', 'erin').execute()).toEqual([]);
    expect(await db.selectFrom('ratings').selectAll().execute()).toEqual([]);
  });
});

describe('topRatedMovies ranking', () => {
  it('ranks by weighted rating: two votes of 10 do not beat many votes of 9', async () => {
    await rateMovie(db, { userId: 'fan-1', movieId: 1, score: 10 });
    await rateMovie(db, { userId: 'fan-2', movieId: 1, score: 10 });
    for (let i = 0; i < 200; i++) await rateMovie(db, { userId: `voter-${i}`, movieId: 2, score: 9 });
    expect(await findTopRatedMovieIds(db, { genre: 'Drama', limit: 10, minVotes: 1 })).toEqual([2, 1]);
  });

  it('holds at 5,000 votes after a bulk recomputation, and breaks ties by votes then id', async () => {
    await db
      .insertInto('users')
      .values(Array.from({ length: 5000 }, (_, i) => ({ id: `bulk-${i}` })))
      .execute();
    await db
      .insertInto('ratings')
      .values([
        { user_id: 'bulk-0', movie_id: 1, score: 10 },
        { user_id: 'bulk-1', movie_id: 1, score: 10 },
        ...Array.from({ length: 5000 }, (_, i) => ({ user_id: `bulk-${i}`, movie_id: 2, score: 9 })),
        // Movies 4 and 5 tie exactly; 4 has the lower id.
        { user_id: 'bulk-0', movie_id: 4, score: 7 },
        { user_id: 'bulk-0', movie_id: 5, score: 7 },
      ])
      .execute();
    await sql`select recompute_statistics(false)`.execute(db);
    expect(await findTopRatedMovieIds(db, { genre: 'Crime', limit: 10, minVotes: 1 })).toEqual([2, 1]);
    expect(await findTopRatedMovieIds(db, { genre: 'Comedy', limit: 10, minVotes: 1 })).toEqual([4, 5]);
    expect(await findTopRatedMovieIds(db, { genre: 'Crime', limit: 10, minVotes: 3 })).toEqual([2]);
  });

  it('follows a genre change from the catalogue feed, and ignores replayed events', async () => {
    await rateMovie(db, { userId: 'gus', movieId: 4, score: 9 });
    expect(await findTopRatedMovieIds(db, { genre: 'Drama', limit: 10, minVotes: 1 })).toEqual([]);
    expect(await applyCatalogueEvents(db, [{ seq: 10, kind: 'movie.upserted', movieId: 4, genres: ['Comedy', 'Drama'] }])).toBe(1);
    expect(await findTopRatedMovieIds(db, { genre: 'Drama', limit: 10, minVotes: 1 })).toEqual([4]);
    // A replay of an older event changes nothing.
    expect(await applyCatalogueEvents(db, [{ seq: 4, kind: 'movie.upserted', movieId: 4, genres: ['Comedy'] }])).toBe(0);
    expect(await findTopRatedMovieIds(db, { genre: 'Drama', limit: 10, minVotes: 1 })).toEqual([4]);
    await applyCatalogueEvents(db, [{ seq: 11, kind: 'movie.deleted', movieId: 4, genres: [] }]);
    expect(await findTopRatedMovieIds(db, { genre: 'Comedy', limit: 10, minVotes: 1 })).toEqual([]);
  });
});
