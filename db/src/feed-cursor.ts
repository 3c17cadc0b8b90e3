import { sql, type Kysely, type Transaction } from 'kysely';

/**
 * Where a consumer has read a feed up to (0 before the first event). Every consumer keeps its cursors in its own
 * schema's `feed_cursors (feed text primary key, last_seq, updated_at)` table; the statement names no schema, so the
 * connection's search path picks the caller's.
 */
export async function readFeedCursor<DB>(db: Kysely<DB>, feed: string): Promise<number> {
  const { rows } = await sql<{ last_seq: number }>`select last_seq from feed_cursors where feed = ${feed}`.execute(db);
  return rows[0]?.last_seq ?? 0;
}

export interface FeedPageTarget {
  /** The cursor's row in `feed_cursors`, e.g. `movies.catalogue`. */
  feed: string;
  /**
   * Advisory lock that lets only one replica apply the feed at a time; the others find it taken and skip the round.
   * Advisory locks are database-wide, so each consumer service needs its own.
   */
  lockKey: number;
}

/**
 * Applies a page of a feed and advances its cursor, all in one transaction: a crash mid-page replays the page, and
 * replays change nothing because events at or below the stored cursor are dropped before `apply` sees them. Returns
 * how many events were new, or null when another replica holds the applier lock.
 */
export async function applyFeedPage<DB, E extends { seq: number }>(
  db: Kysely<DB>,
  target: FeedPageTarget,
  events: readonly E[],
  apply: (trx: Transaction<DB>, fresh: readonly E[]) => Promise<void>,
): Promise<number | null> {
  if (events.length === 0) return 0;
  return db.transaction().execute(async (trx) => {
    const { rows } = await sql<{ ok: boolean }>`select pg_try_advisory_xact_lock(${target.lockKey}, 0) as ok`.execute(trx);
    if (!rows[0]?.ok) return null;
    const cursor = await readFeedCursor(trx, target.feed);
    const fresh = events.filter((event) => event.seq > cursor);
    if (fresh.length === 0) return 0;
    await apply(trx, fresh);
    const lastSeq = fresh.at(-1)!.seq;
    await sql`insert into feed_cursors (feed, last_seq) values (${target.feed}, ${lastSeq})
      on conflict (feed) do update set last_seq = excluded.last_seq, updated_at = now()`.execute(trx);
    return fresh.length;
  });
}
