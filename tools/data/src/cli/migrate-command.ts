import { migrateAll } from '../migrate-all.js';
import { requireDatabaseUrl } from './database-url.js';

try {
  await migrateAll(requireDatabaseUrl(), (line) => console.log(line));
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
