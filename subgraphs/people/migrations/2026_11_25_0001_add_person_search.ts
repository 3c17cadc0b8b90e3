import { sql, type Kysely } from 'kysely';

/**
 * Search over people (`Query.searchPeople`): full-text on the name with the 'simple' configuration (names are not
 * English words to stem), and trigrams for typos ("Al Pacnio"). See the movies schema's search migration for why
 * pg_trgm lives in `public`.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create extension if not exists pg_trgm with schema public`.execute(db);
  await sql`alter table people add column search_document tsvector generated always as (to_tsvector('simple', name)) stored`.execute(db);
  await sql`create index people_search_document_idx on people using gin (search_document)`.execute(db);
  await sql`create index people_name_trgm_idx on people using gin (name gin_trgm_ops)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index people_name_trgm_idx`.execute(db);
  await sql`drop index people_search_document_idx`.execute(db);
  await sql`alter table people drop column search_document`.execute(db);
}
