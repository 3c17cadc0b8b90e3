import { anyOf } from '@cinema/db';
import { sql, type Kysely } from 'kysely';
import type { ViewingDatabase, WatchProgressRow } from './db/database.js';

/** Share of the duration past which a movie counts as watched (end credits are rarely sat through). */
export const WATCHED_THRESHOLD = 0.95;

/** Raised when the movie is not in this service's catalogue projection; nothing was written. */
export class UnknownMovieError extends Error {
  readonly code = 'NOT_FOUND';
  constructor(readonly movieId: number) {
    super(`No Movie with id "${movieId}"`);
    this.name = 'UnknownMovieError';
  }
}

/** A progress row with its exact `updated_at` in microseconds since the epoch, the key of the newest-first pages. */
export type WatchProgressWithPosition = WatchProgressRow & { updated_at_us: number };

export interface RecordProgressInput {
  userId: string;
  movieId: number;
  positionSeconds: number;
  durationSeconds: number;
  /** When the request reached the service, in microseconds since the epoch ({@link ArrivalClock}). */
  arrivedAtUs: number;
}

export interface RecordedProgress {
  /** What is stored now: the caller's write, or a later-arriving one that is kept instead. */
  progress: WatchProgressWithPosition;
  /** The row did not exist before this write (the user's first progress on the movie). */
  created: boolean;
  /** The caller's write was older than the stored one and was dropped. */
  superseded: boolean;
}

/** Whether a position counts as having watched the movie. */
export function isWatched(positionSeconds: number, durationSeconds: number): boolean {
  return positionSeconds >= durationSeconds * WATCHED_THRESHOLD;
}

const micros = (us: number) => sql<Date>`timestamptz 'epoch' + ${us}::bigint * interval '1 microsecond'`;
const updatedAtUs = sql<number>`(extract(epoch from updated_at) * 1000000)::bigint`;

/**
 * Stores where a user is in a movie, in one statement.
 *
 * Two players of one user (two tabs, a phone and a TV) may record the same movie at once. The write that reached the
 * service last wins, whatever order the transactions commit in: the upsert only overwrites a row whose `updated_at`
 * is not later than this write's arrival, and PostgreSQL evaluates that condition on the latest row version while
 * holding the row's lock (ON CONFLICT DO UPDATE), so no interleaving of concurrent writers can bring an older
 * position back. The first insert of two racing writers is settled the same way: the loser takes the update path.
 * Recording the same position again is idempotent: only `updated_at` moves.
 *
 * The movie must be in the catalogue projection; the check is part of the insert, so a movie removed concurrently is
 * never written.
 */
export async function recordProgress(db: Kysely<ViewingDatabase>, input: RecordProgressInput): Promise<RecordedProgress> {
  const watched = isWatched(input.positionSeconds, input.durationSeconds);
  const arrivedAt = micros(input.arrivedAtUs);
  // One statement, written in SQL because the arrival guard compares the stored row with `excluded`. The insert
  // takes its row from the catalogue projection, so an unknown (or concurrently removed) movie writes nothing.
  const { rows } = await sql<WatchProgressWithPosition & { created: boolean }>`
    insert into watch_progress as w (user_id, movie_id, position_seconds, duration_seconds, watched, updated_at)
    select ${input.userId}, c.movie_id, ${input.positionSeconds}::double precision, ${input.durationSeconds}::double precision,
           ${watched}, ${arrivedAt}
      from catalogue_movies c where c.movie_id = ${input.movieId}
    on conflict (user_id, movie_id) do update
       set position_seconds = excluded.position_seconds, duration_seconds = excluded.duration_seconds,
           watched = excluded.watched, updated_at = excluded.updated_at
     where w.updated_at <= excluded.updated_at
    returning w.*, ${updatedAtUs} as updated_at_us,
              -- xmax is 0 on a freshly inserted row version, the locking transaction's id when the upsert updated one.
              (w.xmax = 0) as created`.execute(db);
  const written = rows[0];
  if (written) {
    const { created, ...progress } = written;
    return { progress, created, superseded: false };
  }
  // Nothing written: either the movie is unknown, or a later write is already stored (this one arrived earlier).
  const current = await db
    .selectFrom('watch_progress')
    .selectAll()
    .select(updatedAtUs.as('updated_at_us'))
    .where('user_id', '=', input.userId)
    .where('movie_id', '=', input.movieId)
    .where(({ exists, selectFrom }) => exists(selectFrom('catalogue_movies').select('movie_id').where('movie_id', '=', input.movieId)))
    .executeTakeFirst();
  if (!current) throw new UnknownMovieError(input.movieId);
  return { progress: current, created: false, superseded: true };
}

/** One user's progress in many movies in one statement. */
export function findUserProgress(db: Kysely<ViewingDatabase>, userId: string, movieIds: readonly number[]): Promise<WatchProgressWithPosition[]> {
  return db
    .selectFrom('watch_progress')
    .selectAll()
    .select(updatedAtUs.as('updated_at_us'))
    .where('user_id', '=', userId)
    .where('movie_id', '=', anyOf(movieIds))
    .execute();
}

export interface ContinueWatchingQuery {
  userId: string;
  limit: number;
  /** Keyset: only rows older than this one, in (updated_at, movie_id) descending order. */
  after?: { updatedAtUs: number; movieId: number };
}

/**
 * One page of the movies a user started and has not finished, most recently played first, ties broken by movie id
 * descending: a range scan of the partial index `watch_progress_continue_idx`. Movies no longer in the catalogue are
 * left out (their progress is kept in case they come back). Positions are compared in microseconds, PostgreSQL's
 * precision; a JavaScript Date would round to milliseconds and skip or repeat rows written in the same millisecond.
 */
export function findContinueWatchingPage(db: Kysely<ViewingDatabase>, query: ContinueWatchingQuery): Promise<WatchProgressWithPosition[]> {
  let select = db
    .selectFrom('watch_progress')
    .selectAll('watch_progress')
    .select(updatedAtUs.as('updated_at_us'))
    .where('user_id', '=', query.userId)
    .where('watched', '=', false)
    .where(({ exists, selectFrom }) => exists(selectFrom('catalogue_movies as c').select('c.movie_id').whereRef('c.movie_id', '=', 'watch_progress.movie_id')));
  if (query.after) {
    const { updatedAtUs: afterUs, movieId } = query.after;
    select = select.where(({ eb, refTuple, tuple }) => eb(refTuple('updated_at', 'movie_id'), '<', tuple(micros(afterUs), movieId)));
  }
  return select.orderBy('updated_at', 'desc').orderBy('movie_id', 'desc').limit(query.limit).execute();
}
