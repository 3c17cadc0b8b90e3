import type { CreditKind } from '@cinema/people-subgraph/database';

/**
 * A whole catalogue, ids already assigned, ready to be written into the three schemas (ratings are generated as they
 * are written, see {@link CatalogueRatings}). The seed and the
 * Wikipedia import both build one, so a single writer keeps every cross-service rule (outbox events, statistics).
 */
export interface CatalogueData {
  movies: CatalogueMovie[];
  people: CataloguePerson[];
  credits: CatalogueCredit[];
  userIds: string[];
  ratings: CatalogueRatings;
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

/**
 * The ratings of a catalogue as a generator rather than an array: ten million rating objects would take gigabytes,
 * while the writer only needs to stream them to COPY once.
 */
export interface CatalogueRatings {
  /** How many ratings {@link CatalogueRatings.rows} yields. */
  count: number;
  /** The ratings, user by user; each call starts over and yields the same rows. */
  rows(): Iterable<CatalogueRating>;
}

export interface CatalogueRating {
  userId: string;
  movieId: number;
  score: number;
}
