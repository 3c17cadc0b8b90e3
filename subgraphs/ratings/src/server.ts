import { readFileSync } from 'node:fs';
import { pingDatabase } from '@cinema/db';
import type { CatalogueFollowerOptions } from '@cinema/kit/feed-follower';
import { createSubgraphServer, type SubgraphServer, type SubgraphServiceOptions } from '@cinema/kit/subgraph';
import { parse } from 'graphql';
import type { Kysely } from 'kysely';
import { AccountTokenIssuer } from './account-token.js';
import { createCatalogueSync, type CatalogueSync } from './catalogue-sync.js';
import { createContextFactory } from './context.js';
import type { RatingsDatabase } from './db/database.js';
import { createResolvers } from './resolvers.js';

/** The ratings subgraph's SDL, as composed into the supergraph by `npm run schema:compose`. */
export const typeDefs = parse(readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8'));

/** With the catalogue feed's settings (`CatalogueFollowerOptions`: movies URLs, poll period, doorbell). */
export interface RatingsServerOptions extends SubgraphServiceOptions, CatalogueFollowerOptions {
  db: Kysely<RatingsDatabase>;
  /** `JWT_SECRET`: signs the tokens of `signUp` and `logIn`, for the router to accept. */
  jwtSecret: string;
}

export interface RatingsServer extends SubgraphServer {
  catalogueSync: CatalogueSync;
}

/**
 * Builds the ratings subgraph (ratings, statistics, rankings) without listening. The catalogue sync is created but
 * not started: `index.ts` starts it (and its doorbell), tests drive it with `syncOnce()`.
 */
export async function createRatingsServer(options: RatingsServerOptions): Promise<RatingsServer> {
  const { db, logger, development } = options;
  const catalogueSync = createCatalogueSync(db, options);
  const subgraph = await createSubgraphServer({
    name: 'ratings',
    typeDefs,
    resolvers: createResolvers(new AccountTokenIssuer(options.jwtSecret)),
    context: createContextFactory(db, options.loaderOptions),
    logger,
    metrics: options.metrics,
    development,
    subgraphSecret: options.subgraphSecret,
    healthCheck: () => pingDatabase(db),
    workers: [catalogueSync],
  });
  return { ...subgraph, catalogueSync };
}
