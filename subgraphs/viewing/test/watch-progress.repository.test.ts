import { createDatabase } from '@cinema/db';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js';
import { ArrivalClock } from '../src/arrival-clock.js';
import { applyCatalogueEvents } from '../src/catalogue-projection.repository.js';
import type { ViewingDatabase } from '../src/db/database.js';
import {
  findContinueWatchingPage,
  findUserProgress,
  recordProgress,
  UnknownMovieError,
  type WatchProgressWithPosition,
} from '../src/watch-progress.repository.js';

let database: TestDatabase;
let db: Kysely<ViewingDatabase>;
const clock = new ArrivalClock();
const MOVIES = 30;

beforeAll(async () => {
  database = await createTestDatabase('viewing_repository');
  db = createDatabase<ViewingDatabase>({ connectionString: database.url, schema: 'viewing', poolSize: 12 });
  await applyCatalogueEvents(
    db,
    Array.from({ length: MOVIES }, (_, i) => ({ seq: i + 1, kind: 'movie.upserted' as const, movieId: i + 1 })),
  );
});

afterAll(async () => {
  await db?.destroy();
  await database?.drop();
});

beforeEach(async () => {
  await db.deleteFrom('watch_progress').execute();
});

const record = (userId: string, movieId: number, positionSeconds: number, durationSeconds = 1000, arrivedAtUs = clock.nowMicros()) =>
  recordProgress(db, { userId, movieId, positionSeconds, durationSeconds, arrivedAtUs });

const stored = async (userId: string, movieId: number) => (await findUserProgress(db, userId, [movieId]))[0];

describe('recordProgress', () => {
  it('stores the position, and marks the movie watched from 95 % of its duration', async () => {
    const first = await record('ann', 1, 120, 6000);
    expect(first).toMatchObject({ created: true, superseded: false, progress: { movie_id: 1, position_seconds: 120, duration_seconds: 6000, watched: false } });
    expect((await record('ann', 2, 5699.9, 6000)).progress.watched).toBe(false); // 94.998 %
    expect((await record('ann', 3, 5700, 6000)).progress.watched).toBe(true); // exactly 95 %
    expect((await record('ann', 4, 6000, 6000)).progress.watched).toBe(true);
    // Starting the film again (a rewatch) makes it unfinished again.
    const again = await record('ann', 3, 30, 6000);
    expect(again).toMatchObject({ created: false, progress: { position_seconds: 30, watched: false } });
  });

  it('is idempotent: the same position again changes nothing but updatedAt', async () => {
    const first = await record('ben', 5, 300.5);
    const second = await record('ben', 5, 300.5);
    expect(second.created).toBe(false);
    expect(second.progress).toMatchObject({ position_seconds: 300.5, duration_seconds: 1000, watched: false });
    expect(second.progress.updated_at_us).toBeGreaterThan(first.progress.updated_at_us);
    expect(
      await db
        .selectFrom('watch_progress')
        .select(({ fn }) => fn.countAll<number>().as('n'))
        .where('user_id', '=', 'ben')
        .executeTakeFirstOrThrow(),
    ).toEqual({ n: 1 });
  });

  it('refuses a movie the catalogue does not have, writing nothing', async () => {
    await expect(record('cat', MOVIES + 1, 10)).rejects.toBeInstanceOf(UnknownMovieError);
    // Removed from the catalogue: no new progress either.
    await applyCatalogueEvents(db, [{ seq: MOVIES + 1, kind: 'movie.deleted', movieId: 30 }]);
    await expect(record('cat', 30, 10)).rejects.toBeInstanceOf(UnknownMovieError);
    expect(await findUserProgress(db, 'cat', [30, MOVIES + 1])).toEqual([]);
  });

  it('keeps the write that arrived last even when an earlier one commits after it', async () => {
    const early = clock.nowMicros();
    const late = clock.nowMicros();
    await record('dee', 6, 900, 1000, late);
    // A tab's request that reached the service first but was slower to write must not rewind the position.
    const stale = await record('dee', 6, 100, 1000, early);
    expect(stale).toMatchObject({ superseded: true, progress: { position_seconds: 900 } });
    expect((await stored('dee', 6))?.position_seconds).toBe(900);
    // The same holds for the very first write of a movie.
    await record('dee', 7, 50, 1000, late);
    expect((await record('dee', 7, 40, 1000, early)).superseded).toBe(true);
  });

  it('two players writing at once keep the latest position, whatever order their transactions run in', async () => {
    let rounds = 0;
    for (let round = 0; round < 40; round++) {
      const movieId = 8 + (round % 10);
      const userId = `tabs-${round}`;
      // Two tabs, plus stragglers: arrival times are handed out in one order and written in another, all at once.
      const writes = Array.from({ length: 6 }, (_, i) => ({ position: 10 * (i + 1) + round, arrivedAtUs: clock.nowMicros() }));
      const latest = writes.at(-1)!;
      const shuffled = [...writes].sort(() => Math.random() - 0.5);
      const results = await Promise.all(shuffled.map((write) => record(userId, movieId, write.position, 1000, write.arrivedAtUs)));
      expect(results.filter((result) => result.created)).toHaveLength(1);
      const final = await stored(userId, movieId);
      expect(final?.position_seconds, `round ${round}`).toBe(latest.position);
      // Every call answered either its own write or a later one, never an older position.
      for (const [i, result] of results.entries()) expect(result.progress.updated_at_us).toBeGreaterThanOrEqual(shuffled[i]!.arrivedAtUs);
      rounds += 1;
    }
    expect(rounds).toBe(40);
  });
});

describe('continue watching', () => {
  const page = (userId: string, limit: number, after?: WatchProgressWithPosition) =>
    findContinueWatchingPage(db, { userId, limit, ...(after ? { after: { updatedAtUs: after.updated_at_us, movieId: after.movie_id } } : {}) });

  it('lists unfinished movies only, most recently played first', async () => {
    for (const movieId of [3, 1, 4, 2, 5]) await record('eve', movieId, 100);
    await record('eve', 4, 990); // finished
    await record('eve', 1, 200); // played again: back to the top
    await record('someone-else', 9, 10);
    expect((await page('eve', 10)).map((row) => row.movie_id)).toEqual([1, 5, 2, 3]);
  });

  it('pages by keyset without skipping or repeating, ties in the same microsecond broken by movie id', async () => {
    const sameInstant = clock.nowMicros();
    for (let movieId = 1; movieId <= 12; movieId++) await record('fay', movieId, 10, 1000, movieId <= 6 ? sameInstant : clock.nowMicros());
    await record('fay', 13, 999); // watched: never listed
    const seen: number[] = [];
    let after: WatchProgressWithPosition | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const rows = await page('fay', 5, after);
      seen.push(...rows.map((row) => row.movie_id));
      if (rows.length < 5) break;
      after = rows.at(-1);
    }
    expect(seen).toEqual([12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
  });

  it('leaves out movies that left the catalogue', async () => {
    await record('gus', 20, 10);
    await record('gus', 21, 10);
    const cursor = (await db.selectFrom('feed_cursors').select('last_seq').executeTakeFirstOrThrow()).last_seq;
    await applyCatalogueEvents(db, [{ seq: cursor + 1, kind: 'movie.deleted', movieId: 21 }]);
    expect((await page('gus', 10)).map((row) => row.movie_id)).toEqual([20]);
  });
});
