import { sql, type Kysely } from 'kysely';

/** Which media asset (a folder on the chunk servers) plays for a movie. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('movie_assets')
    .addColumn('movie_id', 'integer', (c) => c.primaryKey().references('movies.id').onDelete('cascade'))
    .addColumn('asset_id', 'text', (c) => c.notNull().check(sql`asset_id ~ '^[a-z0-9][a-z0-9_-]{0,63}$'`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('movie_assets').execute();
}
