import pg from 'pg';

/** Same server as `url`, other database: used to create and drop per-run test databases. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function onMaintenanceDb<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: withDatabase(url, 'postgres') });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** Creates an empty database on the server of `url` and returns its URL; each test run gets its own. */
export async function createFreshDatabase(url: string, database: string): Promise<string> {
  await onMaintenanceDb(url, async (client) => {
    await client.query(`drop database if exists ${quoteIdent(database)} with (force)`);
    await client.query(`create database ${quoteIdent(database)}`);
  });
  return withDatabase(url, database);
}

/** Drops a database this run created; never called on a database we did not create. */
export async function dropDatabase(url: string, database: string): Promise<void> {
  await onMaintenanceDb(url, (client) => client.query(`drop database if exists ${quoteIdent(database)} with (force)`));
}
