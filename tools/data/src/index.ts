/**
 * `@cinema/data-tools`: the platform's data tooling: migrating every service's schema, seeding, the Wikipedia
 * import, demo asset assignment, an embedded PostgreSQL, and the `db:*` commands (`src/cli`).
 *
 * It sits ABOVE the services, not beside `@cinema/db` below them: seeding and importing write the services' tables,
 * so the tooling depends on the services (their table types, through each subgraph's declared `./database` export,
 * and their `migrations/` folders), and no service depends on it. The services' run-time database access stays in
 * `@cinema/db`. Only the launcher, the deploy job, tests and benchmarks import this package.
 */
export { migrateAll } from './migrate-all.js';
export { readPlatformSubgraphs, repoRoot } from './platform-subgraphs.js';
export { startEmbeddedPostgres, type EmbeddedPostgresHandle } from './embedded-postgres.js';
export { createFreshDatabase, dropDatabase } from './database-admin.js';
export { seedDatabase } from './seed/seed-database.js';
export { isCatalogueEmpty } from './seed/is-catalogue-empty.js';
export { formatSeedReport } from './seed/seed-report.js';
export { seedScales, type SeedScale } from './seed/seed-sizes.js';
export { importWikipediaMovies } from './import/import-wikipedia-movies.js';
export { assignDemoAssets } from './media/assign-demo-assets.js';
