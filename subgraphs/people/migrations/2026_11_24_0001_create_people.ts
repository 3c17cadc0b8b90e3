import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('people')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('people_name_idx').on('people').column('name').execute();

  await db.schema
    .createTable('credits')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('movie_id', 'integer', (c) => c.notNull())
    .addColumn('person_id', 'integer', (c) => c.notNull().references('people.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('cast', 'director', 'writer', 'producer')`))
    .addColumn('billing_order', 'integer', (c) => c.notNull())
    .addColumn('character', 'text')
    .addUniqueConstraint('credits_movie_person_kind_uq', ['movie_id', 'person_id', 'kind'])
    .execute();
  // A movie's cast in billing order, for many movies at once (Movie.cast batches).
  await db.schema.createIndex('credits_movie_kind_order_idx').on('credits').columns(['movie_id', 'kind', 'billing_order']).execute();
  // A person's filmography, for many people at once (Person.movies batches).
  await db.schema.createIndex('credits_person_movie_idx').on('credits').columns(['person_id', 'movie_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('credits').execute();
  await db.schema.dropTable('people').execute();
}
