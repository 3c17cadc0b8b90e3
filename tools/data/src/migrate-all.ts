import { createDatabase } from '@cinema/db';
import { migrateSchema } from './migrate.js';
import { serviceSchemas } from './service-schemas.js';

/** Migrates every service's schema to latest, each through a connection bound to that schema. */
export async function migrateAll(connectionString: string, onProgress: (line: string) => void = () => undefined): Promise<void> {
  for (const { schema, migrationFolder } of serviceSchemas) {
    const db = createDatabase<unknown>({ connectionString, schema, poolSize: 1, applicationName: 'migrate' });
    try {
      const result = await migrateSchema(db, schema, migrationFolder);
      const applied = result.results?.filter((r) => r.status === 'Success').map((r) => r.migrationName) ?? [];
      onProgress(applied.length > 0 ? `schema ${schema}: applied ${applied.join(', ')}` : `schema ${schema}: up to date`);
    } finally {
      await db.destroy();
    }
  }
}
