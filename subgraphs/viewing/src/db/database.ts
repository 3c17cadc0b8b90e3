import type { ColumnType, Selectable } from 'kysely';

/**
 * Where a user is in a movie. `updated_at` is when the kept write reached the service (microsecond precision): it
 * decides which of two concurrent writes is the latest, and orders continueWatching.
 */
export interface WatchProgressTable {
  user_id: string;
  movie_id: number;
  position_seconds: number;
  duration_seconds: number;
  watched: boolean;
  updated_at: ColumnType<Date, Date | string, Date | string>;
}

/**
 * Projection of the catalogue this service needs: which movies exist. Filled from the movies service's catalogue
 * event feed; `source_seq` is the event that last wrote the row.
 */
export interface CatalogueMovieTable {
  movie_id: number;
  source_seq: number;
}

/** Where each consumer of another service's feed has read up to. */
export interface FeedCursorTable {
  feed: string;
  last_seq: number;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

/** The viewing service's view of PostgreSQL: only the tables of schema `viewing`. */
export interface ViewingDatabase {
  watch_progress: WatchProgressTable;
  catalogue_movies: CatalogueMovieTable;
  feed_cursors: FeedCursorTable;
}

export type WatchProgressRow = Selectable<WatchProgressTable>;
