import { formatSeedReport, isCatalogueEmpty, migrateAll, seedDatabase } from '@cinema/data-tools';

/*
 * The one-shot `migrate` job of docker-compose.yml and deploy/k8s: applies every service's migrations, then seeds
 * the synthetic catalogue when the database is empty, so a fresh deployment serves data and a redeploy keeps it.
 * The services never migrate on start-up: with several replicas starting at once, one job is the only safe writer.
 */
const url = process.env.DATABASE_URL;
if (!url) {
  console.error('DATABASE_URL is not set (postgres://user:password@host:5432/database)');
  process.exit(2);
}
const log = (line: string) => console.log(`[prepare-database] ${line}`);
try {
  await migrateAll(url, log);
  if (await isCatalogueEmpty(url)) {
    log('empty catalogue: seeding synthetic data');
    console.log(formatSeedReport(await seedDatabase(url, { onProgress: log })));
  } else {
    log('catalogue already present: not seeding');
  }
} catch (error) {
  console.error(`[prepare-database] failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
