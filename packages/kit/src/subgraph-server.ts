import type { IncomingMessage, Server } from 'node:http';
import { ApolloServer, type BaseContext } from '@apollo/server';
import {
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginSchemaReportingDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { DocumentNode } from 'graphql';
import type { Logger } from 'pino';
import { changedEntitiesPlugin } from './changed-entities.js';
import { createErrorFormatter } from './error-formatter.js';
import { createGraphQLHttpServer, sendJson, type RouteHandler } from './graphql-http-server.js';
import { observeGraphQLOperations } from './observe-graphql-operations.js';
import { logRequestAtDebug, type ObservedRequest } from './observe-http-request.js';
import type { ServiceMetrics } from './service-metrics.js';
import { RequestVerifier } from './request-signature.js';
import { admitSignedRequest, signedRoute } from './signed-request-admission.js';

/**
 * One module of `buildSubgraphSchema`'s public signature (SDL plus the resolvers of its types), read off the function
 * because `@apollo/subgraph` exports no name for it.
 */
type SubgraphSchemaModule = Exclude<Extract<Parameters<typeof buildSubgraphSchema>[0], readonly unknown[]>[number], DocumentNode>;

/**
 * A resolver map as Apollo accepts it. Each subgraph declares its map with the `Resolvers` type generated from its
 * SDL (`npm run codegen`), which pins parents, arguments, results and the context; Apollo only needs the structure.
 */
export type SubgraphResolverMap = NonNullable<SubgraphSchemaModule['resolvers']>;

export interface SubgraphServerOptions<TContext extends BaseContext> {
  name: string;
  typeDefs: DocumentNode;
  resolvers: SubgraphResolverMap;
  context: (req: IncomingMessage, observed: ObservedRequest) => Promise<TContext>;
  logger: Logger;
  /** Counts and times every request and serves `GET /metrics`; without it the subgraph has no metrics. */
  metrics?: ServiceMetrics;
  /** Extra HTTP routes open to anyone who can reach the service (metrics). `/health` is always present and open. */
  routes?: Record<string, RouteHandler>;
  /** Routes other services of the platform call (feeds): like GraphQL, they answer signed requests only. */
  internalRoutes?: Record<string, RouteHandler>;
  /** Secret shared with the router (`SUBGRAPH_SECRET`): GraphQL requests must carry its signature. */
  subgraphSecret: string;
  /** Probe of the service's dependencies for `/health`, e.g. `select 1`; rejects when unhealthy. */
  healthCheck?: () => Promise<void>;
  /** Development mode shows internal error messages to clients; production never does. */
  development: boolean;
  /** Background work of the service (a feed follower) that `stop()` stops, and waits for, before Apollo. */
  workers?: readonly { stop(): Promise<void> }[];
}

export interface SubgraphServer {
  /** The HTTP server, not yet listening: tests listen on port 0, `index.ts` on the configured port. */
  server: Server;
  /** Stops Apollo; the caller closes the HTTP server first so in-flight requests finish. */
  stop(): Promise<void>;
}

/**
 * Builds a federation subgraph server with the platform's common behaviour: `/health`, error masking, body limits,
 * no landing page (subgraphs are reached through the router, which hosts the playground), and the router's proof of
 * origin required on every GraphQL request and internal route. `/health` stays open for orchestrators' probes; it
 * tells nothing but up or down.
 */
export async function createSubgraphServer<TContext extends BaseContext>(options: SubgraphServerOptions<TContext>): Promise<SubgraphServer> {
  const { name, logger, development } = options;
  const apollo = new ApolloServer<TContext>({
    schema: buildSubgraphSchema([{ typeDefs: options.typeDefs, resolvers: options.resolvers }]),
    formatError: createErrorFormatter(logger, development),
    // Stack traces are for logs; in development the message itself is shown (see createErrorFormatter).
    includeStacktraceInErrorResponses: false,
    // No Apollo usage reporting here, so federated tracing would only cost time. Reporting stays off whatever
    // APOLLO_KEY or APOLLO_SCHEMA_REPORTING an environment carries: nothing unconfigured leaves the platform.
    plugins: [
      ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginUsageReportingDisabled(),
      ApolloServerPluginSchemaReportingDisabled(),
      changedEntitiesPlugin(),
      observeGraphQLOperations(),
    ],
    introspection: true,
    csrfPrevention: true,
  });
  await apollo.start();
  const health: RouteHandler = async (_req, res) => {
    try {
      await options.healthCheck?.();
      sendJson(res, 200, { status: 'ok', service: name });
    } catch (error) {
      logger.warn({ err: error }, 'health check failed');
      sendJson(res, 503, { status: 'unavailable', service: name });
    }
  };
  const verifier = new RequestVerifier(options.subgraphSecret);
  // Other services poll these in the background (the catalogue feed every few seconds): a success logs at debug.
  const internalRoutes = Object.fromEntries(
    Object.entries(options.internalRoutes ?? {}).map(([path, handler]): [string, RouteHandler] => {
      const signed = signedRoute(verifier, logger, handler);
      return [
        path,
        (req, res, url) => {
          logRequestAtDebug(res);
          return signed(req, res, url);
        },
      ];
    }),
  );
  const server = createGraphQLHttpServer({
    apollo,
    context: options.context,
    logger,
    routes: { '/health': health, ...options.routes, ...internalRoutes },
    admit: admitSignedRequest(verifier, logger),
    metrics: options.metrics,
  });
  return {
    server,
    stop: async () => {
      for (const worker of options.workers ?? []) await worker.stop();
      await apollo.stop();
    },
  };
}
