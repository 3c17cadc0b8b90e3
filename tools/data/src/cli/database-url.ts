import { exitWithUsage } from '@cinema/kit/command-line';

/**
 * The database the CLI commands work on. They need an explicit `DATABASE_URL`: unlike `npm start`, a migration or
 * an import must never guess which server it writes to.
 */
export function requireDatabaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (url) return url;
  return exitWithUsage(
    'DATABASE_URL is not set. Example: DATABASE_URL=postgres://postgres@127.0.0.1:5432/cinema npm run db:migrate',
    '(`npm start` without DATABASE_URL uses its embedded PostgreSQL at postgres://postgres:postgres@127.0.0.1:54329/cinema)',
  );
}
