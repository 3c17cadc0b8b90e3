import { textSearch } from '@cinema/db';
import type { Kysely } from 'kysely';
import type { MovieRow, MoviesDatabase } from './db/database.js';
import { movieColumns } from './movie.repository.js';

/**
 * Movies matching a search text, best first (see `textSearch`): title or overview words by full-text with English
 * stemming (title words weigh more than overview words), or the text close to a run of the title by trigrams
 * ("godfater" → The Godfather). Served by `movies_search_document_idx` and `movies_title_trgm_idx`; ties go to the
 * lower id.
 */
export function searchMovies(db: Kysely<MoviesDatabase>, text: string, limit: number): Promise<MovieRow[]> {
  const { matches, rank } = textSearch(text, { configuration: 'english', column: 'title' });
  return db.selectFrom('movies').select(movieColumns).where(matches).orderBy(rank, 'desc').orderBy('id').limit(limit).execute();
}
