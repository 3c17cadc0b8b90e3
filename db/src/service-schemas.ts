import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Root of the repository, found from this file so commands work from any working directory. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** A service's schema and where its migrations live. */
export interface ServiceSchema {
  service: 'movies' | 'people' | 'ratings';
  schema: string;
  migrationFolder: string;
}

/**
 * The schemas the platform owns, one per subgraph. The database tooling migrates them in this order; no
 * migration references another schema, so the order only matters for readability.
 */
export const serviceSchemas: readonly ServiceSchema[] = (['movies', 'people', 'ratings'] as const).map((service) => ({
  service,
  schema: service,
  migrationFolder: path.join(repoRoot, 'subgraphs', service, 'migrations'),
}));
