import { sql, type Kysely } from 'kysely';

/** The `/health` probe of a service's database: one round trip, rejecting when PostgreSQL cannot answer. */
export async function pingDatabase<DB>(db: Kysely<DB>): Promise<void> {
  await sql`select 1`.execute(db);
}
