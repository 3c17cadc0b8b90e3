import { anyOf } from '@cinema/db';
import type { Kysely } from 'kysely';
import type { MoviesDatabase } from './db/database.js';

/** The assets of many movies in one statement. */
export function findAssetsOfMovies(db: Kysely<MoviesDatabase>, movieIds: readonly number[]): Promise<{ movie_id: number; asset_id: string }[]> {
  return db.selectFrom('movie_assets').select(['movie_id', 'asset_id']).where('movie_id', '=', anyOf(movieIds)).execute();
}
