import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('ratings')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('movie_id', 'integer', (c) => c.notNull())
    .addColumn('score', 'smallint', (c) => c.notNull().check(sql`score between 1 and 10`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('ratings_pk', ['user_id', 'movie_id'])
    .execute();
  // Recomputing one movie's statistics, and ratings by movie for batches.
  await db.schema.createIndex('ratings_movie_idx').on('ratings').column('movie_id').execute();
  // A user's ratings, newest first.
  await db.schema.createIndex('ratings_user_updated_idx').on('ratings').columns(['user_id', 'updated_at desc', 'movie_id desc']).execute();

  await db.schema
    .createTable('movie_rating_stats')
    .addColumn('movie_id', 'integer', (c) => c.primaryKey())
    .addColumn('rating_count', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`rating_count >= 0`),
    )
    .addColumn('rating_sum', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('histogram', sql`integer[]`, (c) =>
      c
        .notNull()
        .defaultTo(sql`'{0,0,0,0,0,0,0,0,0,0}'`)
        .check(sql`cardinality(histogram) = 10`),
    )
    .addColumn('weighted_score', 'double precision', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('catalogue_movies')
    .addColumn('movie_id', 'integer', (c) => c.primaryKey())
    .addColumn('genres', sql`text[]`, (c) => c.notNull())
    .addColumn('source_seq', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('genre_rankings')
    .addColumn('genre', 'text', (c) => c.notNull())
    .addColumn('movie_id', 'integer', (c) => c.notNull())
    .addColumn('weighted_score', 'double precision', (c) => c.notNull())
    .addColumn('rating_count', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('genre_rankings_pk', ['genre', 'movie_id'])
    .execute();
  // topRatedMovies(genre): one range scan in rank order, ties broken by votes then id.
  await sql`create index genre_rankings_rank_idx on genre_rankings (genre, weighted_score desc, rating_count desc, movie_id)`.execute(db);
  await db.schema.createIndex('genre_rankings_movie_idx').on('genre_rankings').column('movie_id').execute();

  await db.schema
    .createTable('feed_cursors')
    .addColumn('feed', 'text', (c) => c.primaryKey())
    .addColumn('last_seq', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('rating_prior')
    .addColumn('id', 'boolean', (c) =>
      c
        .primaryKey()
        .defaultTo(true)
        .check(sql`id`),
    )
    .addColumn('mean', 'double precision', (c) => c.notNull())
    .addColumn('weight', 'double precision', (c) => c.notNull().check(sql`weight > 0`))
    .execute();
  await db.insertInto('rating_prior').values({ mean: 6.5, weight: 20 }).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['rating_prior', 'feed_cursors', 'genre_rankings', 'catalogue_movies', 'movie_rating_stats', 'ratings', 'users']) {
    await db.schema.dropTable(table).execute();
  }
}
