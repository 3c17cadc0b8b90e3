import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { createErrorFormatter, createGraphQLHttpServer, sendJson, type Logger } from '@cinema/kit';
import { authenticate } from './authenticate.js';
import { createPlayground } from './playground/playground.js';
import { DEVELOPMENT_JWT_SECRET, type RouterConfig } from './config.js';
import type { RouterContext } from './router-context.js';
import { SubgraphDataSource } from './subgraph-data-source.js';

export interface RouterOptions {
  config: RouterConfig;
  logger: Logger;
}

export interface Router {
  /** The HTTP server, not yet listening. */
  server: Server;
  stop(): Promise<void>;
}

/**
 * Builds the router: an Apollo gateway over the committed supergraph (never introspection, so what runs is what
 * `schema:check` verified), with JWT authentication in front and the user id forwarded to subgraphs.
 */
export async function createRouter({ config, logger }: RouterOptions): Promise<Router> {
  const development = config.NODE_ENV !== 'production';
  const secret = new TextEncoder().encode(config.jwtSecret);
  const subgraphs = new Map<string, string>();
  const gateway = new ApolloGateway({
    supergraphSdl: readFileSync(config.SUPERGRAPH_PATH, 'utf8'),
    logger,
    buildService: ({ name, url }) => {
      const target = config.subgraphUrls[name]?.[0] ?? url;
      if (!target) throw new Error(`No URL for subgraph "${name}"`);
      subgraphs.set(name, target);
      return new SubgraphDataSource({ url: target });
    },
  });
  const apollo = new ApolloServer<RouterContext>({
    gateway,
    formatError: createErrorFormatter(logger, development),
    includeStacktraceInErrorResponses: false,
    introspection: true,
    csrfPrevention: true,
  });
  await apollo.start();
  const playground = await createPlayground({
    endpoint: '/graphql',
    ...(config.jwtSecret === DEVELOPMENT_JWT_SECRET ? { developmentJwtSecret: DEVELOPMENT_JWT_SECRET } : {}),
  });
  const server = createGraphQLHttpServer<RouterContext>({
    apollo,
    logger,
    landingPage: playground.landingPage,
    context: async (req) => ({ identity: await authenticate(req.headers.authorization, secret) }),
    routes: {
      ...playground.routes,
      '/health': (_req, res) => sendJson(res, 200, { status: 'ok', subgraphs: Object.fromEntries(subgraphs) }),
    },
  });
  return { server, stop: () => apollo.stop() };
}
