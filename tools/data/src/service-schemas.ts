import path from 'node:path';
import { readPlatformSubgraphs, repoRoot } from './platform-subgraphs.js';

export { repoRoot };

/** A service's schema and where its migrations live. */
export interface ServiceSchema {
  service: string;
  schema: string;
  migrationFolder: string;
}

/**
 * The schemas the platform owns, one per subgraph of `schema/supergraph.yaml`, each named after its subgraph with its
 * migrations in `subgraphs/<name>/migrations`. The database tooling migrates them in that order; no migration
 * references another schema, so the order only matters for readability.
 */
export const serviceSchemas: readonly ServiceSchema[] = readPlatformSubgraphs().map((service) => ({
  service,
  schema: service,
  migrationFolder: path.join(repoRoot, 'subgraphs', service, 'migrations'),
}));
