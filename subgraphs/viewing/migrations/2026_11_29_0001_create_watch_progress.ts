import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // Where each user is in each movie: one row per user and movie, overwritten by every recordProgress.
  await db.schema
    .createTable('watch_progress')
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('movie_id', 'integer', (c) => c.notNull())
    .addColumn('position_seconds', 'double precision', (c) => c.notNull().check(sql`position_seconds >= 0`))
    .addColumn('duration_seconds', 'double precision', (c) => c.notNull().check(sql`duration_seconds > 0`))
    .addColumn('watched', 'boolean', (c) => c.notNull())
    // When the kept write reached the service: what "latest" means between two players (watch-progress.repository.ts),
    // and the key of continueWatching's order.
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('watch_progress_pk', ['user_id', 'movie_id'])
    .addCheckConstraint('watch_progress_position_within_duration', sql`position_seconds <= duration_seconds`)
    .execute();
  // continueWatching: the user's unfinished movies, most recent first, as one range scan of a partial index.
  await sql`create index watch_progress_continue_idx on watch_progress (user_id, updated_at desc, movie_id desc) where not watched`.execute(db);

  // Which movies exist, projected from the movies service's catalogue feed (this service never reads its tables).
  await db.schema
    .createTable('catalogue_movies')
    .addColumn('movie_id', 'integer', (c) => c.primaryKey())
    .addColumn('source_seq', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('feed_cursors')
    .addColumn('feed', 'text', (c) => c.primaryKey())
    .addColumn('last_seq', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['feed_cursors', 'catalogue_movies', 'watch_progress']) await db.schema.dropTable(table).execute();
}
