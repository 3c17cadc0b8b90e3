import { sql, type QueryExecutorProvider } from 'kysely';

/**
 * Moves a serial id sequence past the ids the loader wrote itself. The loaders assign ids in memory (so credits and
 * ratings can name movies without a round trip, and ids are deterministic); without this, the services' first
 * insert would collide with id 1. Kysely has no builder for `setval`.
 */
export async function syncSerialSequence(db: QueryExecutorProvider, table: string): Promise<void> {
  await sql`select setval(pg_get_serial_sequence(${table}, 'id'), max(id)) from ${sql.table(table)}`.execute(db);
}
