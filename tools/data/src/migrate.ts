import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Migrator, sql, type Kysely, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely';

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
 * Loads migration files with this module's own `import()`, so they go through whatever TypeScript loader runs us
 * (tsx, or vitest's module runner); Kysely's FileMigrationProvider imports from inside node_modules, where a `.ts`
 * file cannot be loaded.
 */
class TypeScriptMigrationProvider implements MigrationProvider {
  readonly #folder: string;

  constructor(folder: string) {
    this.#folder = folder;
  }

  async getMigrations(): Promise<Record<string, Migration>> {
    const files = (await readdir(this.#folder)).filter((file) => /\.(ts|js)$/.test(file) && !file.endsWith('.d.ts')).sort();
    const migrations: Record<string, Migration> = {};
    for (const file of files) {
      migrations[file.replace(/\.(ts|js)$/, '')] = (await import(pathToFileURL(path.join(this.#folder, file)).href)) as Migration;
    }
    return migrations;
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
    provider: new TypeScriptMigrationProvider(migrationFolder),
    migrationTableSchema: schema,
  });
  const result = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    throw new MigrationError(schema, failed?.migrationName, result.error);
  }
  return result;
}
