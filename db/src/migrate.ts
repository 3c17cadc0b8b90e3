import { promises as fs } from 'node:fs';
import path from 'node:path';
import { FileMigrationProvider, Migrator, sql, type Kysely, type MigrationResultSet } from 'kysely';

/** Raised when a migration fails; carries the name of the migration that broke. */
export class MigrationError extends Error {
  readonly code = 'MIGRATION_FAILED';
  constructor(
    readonly schema: string,
    readonly migration: string | undefined,
    cause: unknown,
  ) {
    super(`Migration ${migration ?? '(unknown)'} of schema "${schema}" failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'MigrationError';
  }
}

/**
 * Brings one service's schema to its latest migration.
 *
 * Each schema keeps its own migration table inside itself, so services migrate independently and no service
 * ever needs to know another's history. Kysely's migrator takes a lock, so replicas starting together are safe.
 */
export async function migrateSchema(db: Kysely<unknown>, schema: string, migrationFolder: string): Promise<MigrationResultSet> {
  await sql`create schema if not exists ${sql.id(schema)}`.execute(db);
  const migrator = new Migrator({
    db,
    provider: new FileMigrationProvider({ fs, path, migrationFolder }),
    migrationTableSchema: schema,
  });
  const result = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    throw new MigrationError(schema, failed?.migrationName, result.error);
  }
  return result;
}
