import type { CreditKind } from '../../../subgraphs/people/src/db/database.js';

/**
 * A whole catalogue in memory, ids already assigned, ready to be written into the three schemas. The seed and the
 * Wikipedia import both build one, so a single writer keeps every cross-service rule (outbox events, statistics).
 */
export interface CatalogueData {
  movies: CatalogueMovie[];
  people: CataloguePerson[];
  credits: CatalogueCredit[];
  userIds: string[];
  ratings: CatalogueRating[];
}

export interface CatalogueMovie {
  id: number;
  title: string;
  year: number | null;
  overview: string | null;
  posterUrl: string | null;
  wikipediaSlug: string | null;
  /** Genre names, no duplicates; they also go into the movie's outbox event. */
  genres: string[];
}

export interface CataloguePerson {
  id: number;
  name: string;
}

export interface CatalogueCredit {
  movieId: number;
  personId: number;
  kind: CreditKind;
  billingOrder: number;
  character: string | null;
}

export interface CatalogueRating {
  userId: string;
  movieId: number;
  score: number;
}
