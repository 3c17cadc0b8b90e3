import type { CatalogueCredit, CatalogueData, CatalogueMovie } from '../seed/catalogue-data.js';
import { generateRatings } from '../seed/generate-ratings.js';
import type { Random } from '../seed/random.js';
import type { WikipediaMovie } from './wikipedia-movie.js';

export interface SyntheticRatings {
  users: number;
  ratings: number;
  random: Random;
}

/**
 * Gives the cleaned films ids (1..n, in input order), turns cast names into people (one per exact name, ids in
 * order of first appearance) and cast credits in billing order, and adds synthetic ratings, since Wikipedia has none.
 */
export function buildImportCatalogue(films: readonly WikipediaMovie[], synthetic: SyntheticRatings): CatalogueData {
  const movies: CatalogueMovie[] = films.map((film, index) => ({
    id: index + 1,
    title: film.title,
    year: film.year,
    overview: film.extract,
    posterUrl: film.thumbnail,
    wikipediaSlug: film.slug,
    genres: film.genres,
  }));
  const personIds = new Map<string, number>();
  const credits: CatalogueCredit[] = films.flatMap((film, index) =>
    film.cast.map((name, billingOrder) => {
      if (!personIds.has(name)) personIds.set(name, personIds.size + 1);
      return { movieId: index + 1, personId: personIds.get(name) ?? 0, kind: 'cast' as const, billingOrder, character: null };
    }),
  );
  const people = [...personIds].map(([name, id]) => ({ id, name }));
  const movieIdsByPopularity = byNotability(films, synthetic.random);
  const { userIds, ratings } = generateRatings({ movieIdsByPopularity, users: synthetic.users, ratings: synthetic.ratings, random: synthetic.random });
  return { movies, people, credits, userIds, ratings };
}

/**
 * Movie ids, most notable first: a long cast, an article and a poster suggest a well-known film, which should draw
 * the most (synthetic) votes. Some noise keeps equally documented films from being ranked by position.
 */
function byNotability(films: readonly WikipediaMovie[], random: Random): number[] {
  const scored = films.map((film, index) => ({
    id: index + 1,
    score: Math.min(film.cast.length, 20) + (film.extract ? 3 : 0) + (film.thumbnail ? 3 : 0) + random.next() * 6,
  }));
  return scored.sort((a, b) => b.score - a.score).map((movie) => movie.id);
}
