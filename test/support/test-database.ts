import { inject } from 'vitest';
import { createFreshDatabase, dropDatabase, migrateAll } from '@cinema/data-tools';
// What the global setup provides (`adminDatabaseUrl`) is declared there, by augmenting vitest's ProvidedContext;
// importing it here lets every package's own typecheck (`npm run typecheck:packages`) type `inject` below.
import type {} from '../global-setup.js';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * A migrated database of the test's own, for tests that must start empty or that write data other tests would
 * trip over. Dropped by the caller; the name carries the pid so parallel workers never collide.
 */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const admin = inject('adminDatabaseUrl');
  const name = `cinema_test_${label}_${Date.now().toString(36)}_${process.pid}_${Math.floor(Math.random() * 1e6)}`;
  const url = await createFreshDatabase(admin, name);
  await migrateAll(url);
  return { url, drop: () => dropDatabase(admin, name) };
}
