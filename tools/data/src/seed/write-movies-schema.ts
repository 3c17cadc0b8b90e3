import type { Kysely } from 'kysely';
import type { MoviesDatabase } from '@cinema/movies-subgraph/database';
import type { CatalogueMovie } from './catalogue-data.js';
import { insertInBatches } from './insert-in-batches.js';
import { syncSerialSequence } from './sync-serial-sequence.js';

/**
 * Writes films, genres and their links, and one `movie.upserted` outbox event per film, all in one transaction:
 * the ratings service builds its genre projection from those events, so a film must never exist without its event.
 * Returns the number of genres.
 */
export async function writeMoviesSchema(db: Kysely<MoviesDatabase>, movies: readonly CatalogueMovie[], onProgress: (line: string) => void): Promise<number> {
  const genreIds = assignGenreIds(movies);
  await db.transaction().execute(async (trx) => {
    const genres = [...genreIds].map(([name, id]) => ({ id, name }));
    await insertInBatches({ label: 'genres', rows: genres, onProgress, insert: (batch) => trx.insertInto('genres').values(batch).execute() });
    const movieRows = movies.map((movie) => ({
      id: movie.id,
      title: movie.title,
      year: movie.year,
      overview: movie.overview,
      poster_url: movie.posterUrl,
      wikipedia_slug: movie.wikipediaSlug,
    }));
    await insertInBatches({ label: 'movies', rows: movieRows, onProgress, insert: (batch) => trx.insertInto('movies').values(batch).execute() });
    const links = movies.flatMap((movie) => movie.genres.map((name) => ({ movie_id: movie.id, genre_id: genreIds.get(name) ?? 0 })));
    await insertInBatches({ label: 'movie genres', rows: links, onProgress, insert: (batch) => trx.insertInto('movie_genres').values(batch).execute() });
    const events = movies.map((movie) => ({ movie_id: movie.id, kind: 'movie.upserted' as const, genres: movie.genres }));
    await insertInBatches({
      label: 'catalogue events',
      rows: events,
      onProgress,
      insert: (batch) => trx.insertInto('catalogue_events').values(batch).execute(),
    });
    await syncSerialSequence(trx, 'movies');
    await syncSerialSequence(trx, 'genres');
  });
  return genreIds.size;
}

/** Genre ids 1..n in order of first appearance, so the same catalogue always gets the same ids. */
function assignGenreIds(movies: readonly CatalogueMovie[]): Map<string, number> {
  const ids = new Map<string, number>();
  for (const name of movies.flatMap((movie) => movie.genres)) if (!ids.has(name)) ids.set(name, ids.size + 1);
  return ids;
}
