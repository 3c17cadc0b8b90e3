import type { ColumnType, Generated, Selectable } from 'kysely';

/** A user, created on first write from the id in the router-verified token (the token's issuer owns identity). */
export interface UserTable {
  id: string;
  created_at: ColumnType<Date, Date | undefined, never>;
}

/**
 * Sign-in credentials of a user created by `signUp`: a normalised email address and a scrypt hash of the password
 * (see `password-hash.ts`), never the password itself.
 */
export interface AccountTable {
  user_id: string;
  email: string;
  password_hash: string;
  created_at: ColumnType<Date, Date | undefined, never>;
}

/** One score per user and movie; rating again replaces it. */
export interface RatingTable {
  user_id: string;
  movie_id: number;
  score: number;
  created_at: ColumnType<Date, Date | undefined, never>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

/**
 * Per-movie statistics, maintained in the same transaction as every rating write so that averages and rankings are
 * read, never recomputed. `histogram[i]` (1-based, as in PostgreSQL) counts the scores equal to i.
 */
export interface MovieRatingStatsTable {
  movie_id: number;
  rating_count: number;
  rating_sum: number;
  histogram: number[];
  weighted_score: number;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

/**
 * Projection of the catalogue this service needs: which movies exist and their genres. Filled from the movies
 * service's catalogue event feed; `source_seq` is the event that last wrote the row, so replays are no-ops.
 */
export interface CatalogueMovieTable {
  movie_id: number;
  genres: string[];
  source_seq: number;
}

/**
 * Ranking index per genre: one row per (genre, movie) with the movie's current weighted score and vote count,
 * kept in step with the statistics, so `topRatedMovies(genre)` is a single index range scan.
 */
export interface GenreRankingTable {
  genre: string;
  movie_id: number;
  weighted_score: number;
  rating_count: number;
}

/** Where each consumer of another service's feed has read up to. */
export interface FeedCursorTable {
  feed: string;
  last_seq: number;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

/**
 * Prior of the Bayesian (IMDb-style) weighted rating: score = (sum + weight * mean) / (count + weight). A single
 * row; `mean` is re-estimated from all ratings by the seed and by `recomputeStatistics`.
 */
export interface RatingPriorTable {
  id: Generated<boolean>;
  mean: number;
  weight: number;
}

/** The ratings service's view of PostgreSQL: only the tables of schema `ratings`. */
export interface RatingsDatabase {
  users: UserTable;
  accounts: AccountTable;
  ratings: RatingTable;
  movie_rating_stats: MovieRatingStatsTable;
  catalogue_movies: CatalogueMovieTable;
  genre_rankings: GenreRankingTable;
  feed_cursors: FeedCursorTable;
  rating_prior: RatingPriorTable;
}

export type RatingRow = Selectable<RatingTable>;
export type MovieRatingStatsRow = Selectable<MovieRatingStatsTable>;
