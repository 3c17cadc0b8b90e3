import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js';
import { openCatalogueDatabases, type CatalogueDatabases } from '../src/seed/catalogue-databases.js';
import { seedDatabase } from '../src/seed/seed-database.js';
import type { SeedReport } from '../src/seed/seed-report.js';

const checksum = (rows: unknown): string => createHash('sha256').update(JSON.stringify(rows)).digest('hex');

/** Titles, credits and ratings of a seeded database, in a stable order, as checksums. */
async function catalogueChecksums({ movies, people, ratings }: CatalogueDatabases) {
  const [titles, credits, scores] = await Promise.all([
    movies.selectFrom('movies').select(['id', 'title', 'year', 'poster_url']).orderBy('id').execute(),
    people
      .selectFrom('credits')
      .select(['movie_id', 'person_id', 'kind', 'billing_order', 'character'])
      .orderBy('movie_id')
      .orderBy('kind')
      .orderBy('billing_order')
      .execute(),
    ratings.selectFrom('ratings').select(['user_id', 'movie_id', 'score']).orderBy('user_id').orderBy('movie_id').execute(),
  ]);
  return { titles: checksum(titles), credits: checksum(credits), ratings: checksum(scores) };
}

describe('seedDatabase with the default sizes', () => {
  let first: TestDatabase;
  let second: TestDatabase;
  let db: CatalogueDatabases;
  let report: SeedReport;
  const progress: string[] = [];

  beforeAll(async () => {
    [first, second] = await Promise.all([createTestDatabase('seed_a'), createTestDatabase('seed_b')]);
    report = await seedDatabase(first.url, { onProgress: (line) => progress.push(line) });
    console.info(`default seed: ${report.durationMs} ms`);
    db = openCatalogueDatabases(first.url, 'seed-test');
  });

  afterAll(async () => {
    await db?.destroy();
    await Promise.all([first?.drop(), second?.drop()]);
  });

  it('writes the default sizes, at least 100,000 ratings, and reports progress', async () => {
    expect(report).toMatchObject({ seed: 42, movies: 5_000, people: 8_000, users: 3_000, ratings: 120_000, genres: 18 });
    const ratings = await db.ratings
      .selectFrom('ratings')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .executeTakeFirstOrThrow();
    expect(ratings.count).toBe(report.ratings);
    expect(ratings.count).toBeGreaterThanOrEqual(100_000);
    expect(progress).toContain('ratings 120,000/120,000');
  });

  it('is deterministic: a second database seeded the same way is identical, another seed is not', async () => {
    await seedDatabase(second.url);
    const other = openCatalogueDatabases(second.url, 'seed-test');
    try {
      const expected = await catalogueChecksums(db);
      expect(await catalogueChecksums(other)).toEqual(expected);
      await seedDatabase(second.url, { seed: 43, force: true });
      const reseeded = await catalogueChecksums(other);
      expect(reseeded.titles).not.toBe(expected.titles);
      expect(reseeded.ratings).not.toBe(expected.ratings);
    } finally {
      await other.destroy();
    }
  });

  it('skews popularity: the top 10% most-rated films hold more than 40% of the ratings', async () => {
    const perMovie = await db.ratings
      .selectFrom('ratings')
      .select((eb) => ['movie_id', eb.fn.countAll<number>().as('count')])
      .groupBy('movie_id')
      .execute();
    const counts = perMovie.map((row) => row.count).sort((a, b) => b - a);
    const top = counts.slice(0, report.movies / 10).reduce((sum, count) => sum + count, 0);
    expect(top / report.ratings).toBeGreaterThan(0.4);
  });

  it('fills movie_rating_stats exactly as an aggregate over the ratings, with the re-estimated prior', async () => {
    const [aggregates, scores, stats, prior] = await Promise.all([
      db.ratings
        .selectFrom('ratings')
        .select((eb) => ['movie_id', eb.fn.countAll<number>().as('count'), eb.fn.sum<number>('score').as('sum')])
        .groupBy('movie_id')
        .execute(),
      db.ratings.selectFrom('ratings').select(['movie_id', 'score']).execute(),
      db.ratings.selectFrom('movie_rating_stats').selectAll().execute(),
      db.ratings.selectFrom('rating_prior').selectAll().executeTakeFirstOrThrow(),
    ]);
    const histograms = new Map<number, number[]>();
    for (const { movie_id, score } of scores) {
      const histogram = histograms.get(movie_id) ?? new Array<number>(10).fill(0);
      histogram[score - 1] = (histogram[score - 1] ?? 0) + 1;
      histograms.set(movie_id, histogram);
    }
    const mean = scores.reduce((sum, { score }) => sum + score, 0) / scores.length;
    expect(prior.mean).toBeCloseTo(mean, 9);

    const statsByMovie = new Map(stats.map((row) => [row.movie_id, row]));
    expect(stats).toHaveLength(aggregates.length);
    for (const { movie_id, count, sum } of aggregates) {
      const row = statsByMovie.get(movie_id);
      expect(row).toMatchObject({ rating_count: count, rating_sum: sum, histogram: histograms.get(movie_id) });
      expect(row?.weighted_score).toBeCloseTo((sum + prior.weight * mean) / (count + prior.weight), 9);
    }
  });

  it('gives films meaningfully different averages', async () => {
    const stats = await db.ratings.selectFrom('movie_rating_stats').select(['rating_sum', 'rating_count']).where('rating_count', '>=', 50).execute();
    const averages = stats.map((row) => row.rating_sum / row.rating_count);
    expect(Math.max(...averages) - Math.min(...averages)).toBeGreaterThan(3);
  });

  it('writes one movie.upserted outbox event per film, carrying its genres', async () => {
    const [events, links] = await Promise.all([
      db.movies.selectFrom('catalogue_events').select(['movie_id', 'kind', 'genres']).orderBy('seq').execute(),
      db.movies.selectFrom('movie_genres').innerJoin('genres', 'genres.id', 'movie_genres.genre_id').select(['movie_id', 'name']).execute(),
    ]);
    expect(events.map((event) => event.movie_id)).toEqual(Array.from({ length: report.movies }, (_, index) => index + 1));
    expect(new Set(events.map((event) => event.kind))).toEqual(new Set(['movie.upserted']));
    const genresByMovie = new Map<number, string[]>();
    for (const { movie_id, name } of links) genresByMovie.set(movie_id, [...(genresByMovie.get(movie_id) ?? []), name]);
    for (const event of events) {
      expect(event.genres.length).toBeGreaterThanOrEqual(1);
      expect([...event.genres].sort()).toEqual([...(genresByMovie.get(event.movie_id) ?? [])].sort());
    }
  });

  it('credits one director and a cast in billing order 0.. per film, some with characters', async () => {
    const credits = await db.people.selectFrom('credits').select(['movie_id', 'kind', 'billing_order', 'character']).orderBy('billing_order').execute();
    const directors = credits.filter((credit) => credit.kind === 'director');
    expect(new Set(directors.map((credit) => credit.movie_id)).size).toBe(report.movies);
    expect(directors).toHaveLength(report.movies);
    const orders = new Map<number, number[]>();
    for (const credit of credits) if (credit.kind === 'cast') orders.set(credit.movie_id, [...(orders.get(credit.movie_id) ?? []), credit.billing_order]);
    expect(orders.size).toBe(report.movies);
    for (const billing of orders.values()) expect(billing).toEqual(billing.map((_, index) => index));
    const cast = credits.filter((credit) => credit.kind === 'cast');
    const withCharacter = cast.filter((credit) => credit.character !== null).length;
    expect(withCharacter).toBeGreaterThan(cast.length / 2);
    expect(withCharacter).toBeLessThan(cast.length);
  });

  it('refuses a non-empty catalogue without force, and leaves it untouched', async () => {
    await expect(seedDatabase(first.url, { scale: { movies: 10, ratings: 10 } })).rejects.toMatchObject({ code: 'CATALOGUE_NOT_EMPTY' });
    const movies = await db.movies
      .selectFrom('movies')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .executeTakeFirstOrThrow();
    expect(movies.count).toBe(report.movies);
  });

  it('moves the id sequences past the seeded ids, so the services can insert', async () => {
    const movie = await db.movies.insertInto('movies').values({ title: 'Added later', year: 2025 }).returning('id').executeTakeFirstOrThrow();
    const person = await db.people.insertInto('people').values({ name: 'Added Later' }).returning('id').executeTakeFirstOrThrow();
    expect(movie.id).toBe(report.movies + 1);
    expect(person.id).toBe(report.people + 1);
  });
});

describe('seedDatabase options', () => {
  it('rejects sizes that cannot work before touching the database', async () => {
    await expect(seedDatabase('postgres://nobody@127.0.0.1:1/none', { scale: { movies: 10, users: 10, ratings: 1_000 } })).rejects.toMatchObject({
      code: 'INVALID_SEED_OPTIONS',
    });
    await expect(seedDatabase('postgres://nobody@127.0.0.1:1/none', { scale: { movies: -1 } })).rejects.toMatchObject({ code: 'INVALID_SEED_OPTIONS' });
  });
});
