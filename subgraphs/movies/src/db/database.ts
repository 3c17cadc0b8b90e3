import type { CatalogueEventKind } from '@cinema/kit/catalogue-feed';
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/**
 * A film in the catalogue; `wikipedia_slug` links to its article when the catalogue came from Wikipedia. The table
 * also has a generated `search_document` (tsvector of title and overview), deliberately not declared here: only
 * search reads it, inside `sql` fragments, and no row type should carry it.
 */
export interface MovieTable {
  id: Generated<number>;
  title: string;
  year: number | null;
  overview: string | null;
  poster_url: string | null;
  wikipedia_slug: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface GenreTable {
  id: Generated<number>;
  name: string;
}

export interface MovieGenreTable {
  movie_id: number;
  genre_id: number;
}

/**
 * Transactional outbox of catalogue changes. Written in the same transaction as the change itself, read by other
 * services (the ratings genre projection) through the movies service's feed, never through this table directly.
 */
export interface CatalogueEventTable {
  seq: Generated<number>;
  movie_id: number;
  kind: CatalogueEventKind;
  genres: string[];
  occurred_at: ColumnType<Date, Date | undefined, never>;
}

/** The media asset that plays for a movie: a folder of HLS renditions and an MP4 on every chunk server. */
export interface MovieAssetTable {
  movie_id: number;
  asset_id: string;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

/** The movies service's view of PostgreSQL: only the tables of schema `movies`. */
export interface MoviesDatabase {
  movies: MovieTable;
  genres: GenreTable;
  movie_genres: MovieGenreTable;
  catalogue_events: CatalogueEventTable;
  movie_assets: MovieAssetTable;
}

export type MovieRow = Selectable<MovieTable>;
export type NewMovieRow = Insertable<MovieTable>;
export type CatalogueEventRow = Selectable<CatalogueEventTable>;
