import type { CatalogueData } from './catalogue-data.js';
import { generateCredits } from './generate-credits.js';
import { generateMovies } from './generate-movies.js';
import { generatePeople } from './generate-people.js';
import { generateRatings } from './generate-ratings.js';
import { Random } from './random.js';
import type { SeedSizes } from './seed-sizes.js';

/**
 * The whole synthetic catalogue, built in memory from one seed before anything is written: the same sizes and
 * seed give the same rows and ids, whatever the database does.
 */
export function generateSeedCatalogue(sizes: SeedSizes, seed: number): CatalogueData {
  const random = new Random(seed);
  const movies = generateMovies(sizes.movies, random);
  const people = generatePeople(sizes.people, random);
  const credits = generateCredits(movies, people, sizes.castPerMovie, random);
  const movieIdsByPopularity = random.shuffle(movies.map((movie) => movie.id));
  const { userIds, ratings } = generateRatings({ movieIdsByPopularity, users: sizes.users, ratings: sizes.ratings, random });
  return { movies, people, credits, userIds, ratings };
}
