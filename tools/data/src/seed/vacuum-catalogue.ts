import { sql } from 'kysely';
import { createDatabase } from '@cinema/db';
import { catalogueDataTables } from './truncate-catalogue.js';

/**
 * `VACUUM (ANALYZE)` over every data table after a bulk load. Without it the planner has no statistics for the
 * fresh rows (and picks sequential scans for searches), and GIN indexes built before the load keep their entries in
 * an unsorted pending list that every search must read in full; vacuum merges it into the index. It also sets the
 * visibility map, so index-only scans work from the first query. VACUUM cannot run inside a transaction, so it
 * comes after the loaders commit.
 */
export async function vacuumCatalogue(connectionString: string, onProgress: (line: string) => void): Promise<void> {
  const tables = Object.entries(catalogueDataTables).flatMap(([schema, names]) => Object.keys(names).map((name) => sql.table(`${schema}.${name}`)));
  const db = createDatabase<unknown>({ connectionString, schema: 'public', poolSize: 1, applicationName: 'cinema-loader' });
  const started = performance.now();
  try {
    await sql`vacuum (analyze) ${sql.join(tables)}`.execute(db);
  } finally {
    await db.destroy();
  }
  onProgress(`vacuumed and analyzed ${tables.length} tables in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
