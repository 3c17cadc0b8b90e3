import { formatCount } from './format-count.js';
import { generateSeedCatalogue } from './generate-seed-catalogue.js';
import { prepareEmptyCatalogue } from './prepare-empty-catalogue.js';
import type { SeedReport } from './seed-report.js';
import { resolveSeedSizes, type SeedSizes } from './seed-sizes.js';
import { writeCatalogue } from './write-catalogue.js';

export interface SeedOptions {
  /** Overrides of the default sizes (5,000 movies, 8,000 people, 3,000 users, 120,000 ratings...). */
  scale?: Partial<SeedSizes>;
  /** Seed of the pseudo-random generator; the same seed gives the same catalogue. */
  seed?: number;
  /** Wipe a non-empty catalogue instead of refusing it. */
  force?: boolean;
  onProgress?: (line: string) => void;
}

export const defaultSeed = 42;

/**
 * Fills an empty platform with a synthetic, deterministic catalogue: films, people, credits, users and skewed
 * ratings, with outbox events and statistics in place, so every service has realistic data to serve and load tests
 * are repeatable. Refuses a non-empty catalogue unless `force` is set.
 */
export async function seedDatabase(connectionString: string, options: SeedOptions = {}): Promise<SeedReport> {
  const started = performance.now();
  const onProgress = options.onProgress ?? (() => undefined);
  const sizes = resolveSeedSizes(options.scale);
  const seed = options.seed ?? defaultSeed;
  await prepareEmptyCatalogue(connectionString, {
    wipe: options.force ?? false,
    refusal: 'The catalogue is not empty; seed with --force to wipe it first (stop the platform before).',
  });
  const data = generateSeedCatalogue(sizes, seed);
  onProgress(
    `generated ${formatCount(data.movies.length)} movies and ${formatCount(data.credits.length)} credits; ${formatCount(data.ratings.count)} ratings will stream as they are written (seed ${seed})`,
  );
  const genres = await writeCatalogue(connectionString, data, onProgress);
  return {
    seed,
    movies: data.movies.length,
    genres,
    people: data.people.length,
    credits: data.credits.length,
    users: data.userIds.length,
    ratings: data.ratings.count,
    durationMs: Math.round(performance.now() - started),
  };
}
