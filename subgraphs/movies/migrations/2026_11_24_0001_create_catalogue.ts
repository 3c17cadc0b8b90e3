import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('movies')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.check(sql`year between 1850 and 2200`))
    .addColumn('overview', 'text')
    .addColumn('poster_url', 'text')
    .addColumn('wikipedia_slug', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // Catalogue pages filtered by year walk this index in id order (keyset pagination).
  await db.schema.createIndex('movies_year_id_idx').on('movies').columns(['year', 'id']).execute();
  await db.schema.createIndex('movies_wikipedia_slug_idx').on('movies').column('wikipedia_slug').execute();

  await db.schema
    .createTable('genres')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .execute();

  await db.schema
    .createTable('movie_genres')
    .addColumn('movie_id', 'integer', (c) => c.notNull().references('movies.id').onDelete('cascade'))
    .addColumn('genre_id', 'integer', (c) => c.notNull().references('genres.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('movie_genres_pk', ['movie_id', 'genre_id'])
    .execute();
  // Catalogue pages filtered by genre walk this index in movie id order.
  await db.schema.createIndex('movie_genres_genre_movie_idx').on('movie_genres').columns(['genre_id', 'movie_id']).execute();

  await db.schema
    .createTable('catalogue_events')
    .addColumn('seq', 'bigserial', (c) => c.primaryKey())
    .addColumn('movie_id', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('movie.upserted', 'movie.deleted')`))
    .addColumn('genres', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('occurred_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('catalogue_events').execute();
  await db.schema.dropTable('movie_genres').execute();
  await db.schema.dropTable('genres').execute();
  await db.schema.dropTable('movies').execute();
}
