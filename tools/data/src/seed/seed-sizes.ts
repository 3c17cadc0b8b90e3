import { CatalogueError } from './catalogue-error.js';
import { formatCount } from './format-count.js';
import { ratingCapacity } from './generate-ratings.js';

/** How big the synthetic catalogue is. */
export interface SeedSizes {
  movies: number;
  people: number;
  /** Average cast size; each film also gets one director. */
  castPerMovie: number;
  users: number;
  ratings: number;
}

/** Large enough for pagination, rankings and load tests to mean something, small enough to seed in seconds. */
export const defaultSeedSizes: Readonly<SeedSizes> = Object.freeze({
  movies: 5_000,
  people: 8_000,
  castPerMovie: 8,
  users: 3_000,
  ratings: 120_000,
});

/**
 * Named rating volumes for `npm run db:seed -- --scale <name>` and the scale benchmark, over the default catalogue:
 * about a hundred ratings per user, as on a real service, so `10m` is 10 million ratings from 100,000 users.
 */
export const seedScales = {
  '100k': { ratings: 100_000, users: 1_000 },
  '1m': { ratings: 1_000_000, users: 10_000 },
  '10m': { ratings: 10_000_000, users: 100_000 },
} as const satisfies Record<string, Partial<SeedSizes>>;

export type SeedScale = keyof typeof seedScales;

/** The defaults overridden by `scale`, checked so that a bad option fails before anything is written. */
export function resolveSeedSizes(scale: Partial<SeedSizes> = {}): SeedSizes {
  const sizes = { ...defaultSeedSizes, ...scale };
  for (const [name, value] of Object.entries(sizes)) {
    if (!Number.isSafeInteger(value) || value < 0) throw invalid(`${name} must be a non-negative integer, got ${value}`);
  }
  if (sizes.movies < 1) throw invalid('movies must be at least 1');
  if (sizes.people < 2) throw invalid('people must be at least 2 (an actor and a director)');
  const capacity = ratingCapacity(sizes.movies, sizes.users);
  if (sizes.ratings > capacity) {
    const counts = `${formatCount(sizes.movies)} movies and ${formatCount(sizes.users)} users`;
    throw invalid(`${formatCount(sizes.ratings)} ratings do not fit ${counts} (at most ${formatCount(capacity)}); ask for fewer ratings`);
  }
  return sizes;
}

const invalid = (message: string): CatalogueError => new CatalogueError('INVALID_SEED_OPTIONS', message);
