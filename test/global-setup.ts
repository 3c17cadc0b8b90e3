import type { TestProject } from 'vitest/node';
import { createFreshDatabase, dropDatabase, migrateAll, repoRoot, startEmbeddedPostgres, type EmbeddedPostgresHandle } from '@cinema/data-tools';
import path from 'node:path';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A migrated, empty database created for this run only. */
    databaseUrl: string;
    /** The server's maintenance URL, for tests that create databases of their own. */
    adminDatabaseUrl: string;
  }
}

/**
 * Gives the run a real PostgreSQL: `DATABASE_URL`'s server when set (CI sets it), else an embedded one. Either way
 * the run works in a database of its own, created here and dropped at the end, so runs never see each other's data.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let adminUrl = process.env.DATABASE_URL;
  let embedded: EmbeddedPostgresHandle | undefined;
  if (!adminUrl) {
    console.warn('\n*** DATABASE_URL is not set: starting an embedded PostgreSQL for the tests (slower on first run) ***\n');
    embedded = await startEmbeddedPostgres({ dataDir: path.join(repoRoot, '.data', 'test-postgres'), port: 54330, database: 'postgres' });
    adminUrl = embedded.url;
  }
  const name = `cinema_test_${Date.now().toString(36)}_${process.pid}`;
  const url = await createFreshDatabase(adminUrl, name);
  await migrateAll(url);
  project.provide('databaseUrl', url);
  project.provide('adminDatabaseUrl', adminUrl);
  return async () => {
    await dropDatabase(adminUrl, name);
    await embedded?.stop();
  };
}
