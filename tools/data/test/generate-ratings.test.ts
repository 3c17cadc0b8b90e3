import { describe, expect, it } from 'vitest';
import { allocateRatingCounts } from '../src/seed/allocate-rating-counts.js';
import { generateRatings, ratingCapacity } from '../src/seed/generate-ratings.js';
import { Random } from '../src/seed/random.js';

const plan = (seed: number) => ({ movieIdsByPopularity: Array.from({ length: 500 }, (_, i) => i + 1), users: 400, ratings: 20_000, random: new Random(seed) });
/** The generated users and every rating, read out of the generator. */
const generate = (seed: number) => {
  const { userIds, ratings } = generateRatings(plan(seed));
  return { userIds, count: ratings.count, ratings: [...ratings.rows()] };
};

describe('allocateRatingCounts', () => {
  it('meets the total exactly, caps every film and favours the top ranks', () => {
    const counts = allocateRatingCounts(10_000, 1_000, 100, 0.9);
    expect(counts.reduce((sum, count) => sum + count, 0)).toBe(10_000);
    expect(Math.max(...counts)).toBe(100);
    expect(counts[0]).toBeGreaterThanOrEqual(counts[999] ?? 0);
    expect(counts.slice(0, 100).reduce((sum, count) => sum + count, 0)).toBeGreaterThan(4_000);
  });

  it('refuses a total that cannot fit under the cap', () => {
    expect(() => allocateRatingCounts(1_001, 10, 100, 0.9)).toThrow(RangeError);
  });
});

describe('generateRatings', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    expect(generate(7)).toEqual(generate(7));
    expect(generate(8).ratings).not.toEqual(generate(7).ratings);
  });

  it('yields the same rows on every read, so the writer can stream them', () => {
    const { ratings } = generateRatings(plan(7));
    expect([...ratings.rows()]).toEqual([...ratings.rows()]);
  });

  it('gives exactly the requested ratings, scores 1–10, at most one per user and film', () => {
    const { userIds, count, ratings } = generate(7);
    expect(count).toBe(20_000);
    expect(userIds).toHaveLength(400);
    expect(userIds[0]).toBe('user-000001');
    expect(ratings).toHaveLength(20_000);
    expect(ratings.every((rating) => Number.isInteger(rating.score) && rating.score >= 1 && rating.score <= 10)).toBe(true);
    expect(new Set(ratings.map((rating) => `${rating.userId}/${rating.movieId}`)).size).toBe(20_000);
  });

  it('gives films meaningfully different averages', () => {
    const { ratings } = generate(7);
    const totals = new Map<number, { sum: number; count: number }>();
    for (const { movieId, score } of ratings) {
      const total = totals.get(movieId) ?? { sum: 0, count: 0 };
      totals.set(movieId, { sum: total.sum + score, count: total.count + 1 });
    }
    const averages = [...totals.values()].filter((total) => total.count >= 20).map((total) => total.sum / total.count);
    expect(Math.max(...averages) - Math.min(...averages)).toBeGreaterThan(3);
  });

  it('knows how many ratings fit', () => {
    expect(ratingCapacity(500, 400)).toBe(100_000);
    expect(ratingCapacity(3, 1)).toBe(3);
  });
});
