import type { Kysely } from 'kysely';
import type pg from 'pg';
import { createDatabase } from './create-database.js';

/** The settings every subgraph reads for its database (`subgraphConfigSchema`). */
export interface ServiceDatabaseSettings {
  DATABASE_URL: string;
  DB_POOL_SIZE: number;
}

export interface ServiceDatabaseObservers {
  logger: { warn(details: object, message: string): void };
  metrics: { observePool(name: string, pool: pg.Pool): void };
}

/**
 * The pool of a subgraph process, the same way in every service: bound to the schema named after the service,
 * shown as `<service>-subgraph` in `pg_stat_activity`, idle connection losses logged (not fatal), pool use exported
 * as metrics.
 */
export function createServiceDatabase<DB>(service: string, settings: ServiceDatabaseSettings, { logger, metrics }: ServiceDatabaseObservers): Kysely<DB> {
  return createDatabase<DB>({
    connectionString: settings.DATABASE_URL,
    schema: service,
    poolSize: settings.DB_POOL_SIZE,
    applicationName: `${service}-subgraph`,
    onPoolError: (error) => logger.warn({ err: error }, 'idle database connection lost'),
    onPoolCreated: (pool) => metrics.observePool(service, pool),
  });
}
