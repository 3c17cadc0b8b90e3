import { sql, type Kysely } from 'kysely';
import type { MovieRow, MoviesDatabase } from './db/database.js';
import { movieColumns } from './movie.repository.js';

/**
 * Movies matching a search text, best first. A film matches when its title or overview contains the words
 * (full-text, English stemming, `websearch_to_tsquery`, which accepts any input without a syntax error) or when the
 * text is close to a word sequence of the title by trigrams, which is what finds "The Godfather" for "godfater".
 * Both conditions are served by GIN indexes (`movies_search_document_idx`, `movies_title_trgm_idx`).
 *
 * Rank = full-text rank (title words weigh more than overview words) + trigram similarity to the whole title (so
 * the exact title beats its sequels) + word similarity (so a close match inside a long title still counts); ties go
 * to the lower id. The text is always a bound parameter.
 */
export function searchMovies(db: Kysely<MoviesDatabase>, text: string, limit: number): Promise<MovieRow[]> {
  const query = sql`websearch_to_tsquery('english', ${text})`;
  return db
    .selectFrom('movies')
    .select(movieColumns)
    .where((eb) => eb.or([sql<boolean>`search_document @@ ${query}`, sql<boolean>`${text} <% title`]))
    .orderBy(sql`ts_rank(search_document, ${query}) + similarity(${text}, title) + word_similarity(${text}, title)`, 'desc')
    .orderBy('id')
    .limit(limit)
    .execute();
}
