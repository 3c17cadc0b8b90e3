export { createDatabase, type DatabaseOptions } from './create-database.js';
export { migrateSchema, MigrationError } from './migrate.js';
export { migrateAll } from './migrate-all.js';
export { serviceSchemas, repoRoot, type ServiceSchema } from './service-schemas.js';
export { startEmbeddedPostgres, type EmbeddedPostgresHandle, type EmbeddedPostgresOptions } from './embedded-postgres.js';
export { createFreshDatabase, dropDatabase, withDatabase } from './database-admin.js';
export { anyOf } from './any-of.js';
