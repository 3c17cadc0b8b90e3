import pg from 'pg';

/**
 * One plain connection bound to a service's schema, like the pools of `createDatabase`. The loaders need the raw
 * client where Kysely has no builder: `COPY ... FROM STDIN` and DDL assembled from the catalogue.
 */
export async function connectToSchema(connectionString: string, schema: string, applicationName: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString, application_name: applicationName, options: `-c search_path=${schema},public` });
  await client.connect();
  return client;
}
