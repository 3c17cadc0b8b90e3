import { anyOf } from '@cinema/db';
import { sql, type Kysely } from 'kysely';
import { appendCatalogueEvent } from './catalogue-event.repository.js';
import type { MovieRow, MoviesDatabase } from './db/database.js';
import { movieColumns } from './movie.repository.js';

/** Raised inside the transaction when the movie does not exist; nothing is written. */
export class UnknownMovieError extends Error {
  readonly code = 'NOT_FOUND';
  constructor(readonly movieId: number) {
    super(`No Movie with id "${movieId}"`);
    this.name = 'UnknownMovieError';
  }
}

/** Raised inside the transaction when a genre is not in the catalogue's list; nothing is written. */
export class UnknownGenresError extends Error {
  readonly code = 'BAD_USER_INPUT';
  constructor(readonly genres: readonly string[]) {
    super(`Unknown genres: ${genres.map((genre) => JSON.stringify(genre)).join(', ')}`);
    this.name = 'UnknownGenresError';
  }
}

/**
 * Replaces a movie's genres and records a `movie.upserted` outbox event carrying the new list, in one transaction:
 * the ratings service's genre projection follows from that event, so the change and its event commit together or
 * not at all. The movie row is locked first, so two editors of one film apply in turn and the last event holds the
 * last list. Genres must already exist (`Query.genres`); a typo must not invent a genre.
 */
export async function setMovieGenres(db: Kysely<MoviesDatabase>, movieId: number, genreNames: readonly string[]): Promise<MovieRow> {
  return db.transaction().execute(async (trx) => {
    const movie = await trx
      .updateTable('movies')
      .set({ updated_at: sql<Date>`now()` })
      .where('id', '=', movieId)
      .returning(movieColumns)
      .executeTakeFirst();
    if (!movie) throw new UnknownMovieError(movieId);
    const genres = genreNames.length === 0 ? [] : await trx.selectFrom('genres').select(['id', 'name']).where('name', '=', anyOf(genreNames)).execute();
    const known = new Set(genres.map((genre) => genre.name));
    const unknown = genreNames.filter((name) => !known.has(name));
    if (unknown.length > 0) throw new UnknownGenresError(unknown);

    await trx.deleteFrom('movie_genres').where('movie_id', '=', movieId).execute();
    if (genres.length > 0)
      await trx
        .insertInto('movie_genres')
        .values(genres.map((genre) => ({ movie_id: movieId, genre_id: genre.id })))
        .execute();
    await appendCatalogueEvent(trx, { movieId, kind: 'movie.upserted', genres: genres.map((genre) => genre.name).sort() });
    return movie;
  });
}
