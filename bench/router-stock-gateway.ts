/**
 * The baseline of `router-balancing.bench.ts`: the same Apollo gateway, supergraph, authentication and HTTP server
 * as the router, but with the stock `RemoteGraphQLDataSource` (its own fetch, no timeout, no retry) pointed at the
 * first URL of each `SUBGRAPH_<NAME>_URLS`. Subgraphs answer signed requests only, so its fetch signs each request
 * with `SUBGRAPH_SECRET` exactly as the router does; both sides pay for that. Started as its own process by the
 * benchmark, like the router, so both pay the same process and IPC costs.
 */
import { readFileSync } from 'node:fs';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { loadConfigOrExit } from '@cinema/kit/config';
import { createErrorFormatter, createGraphQLHttpServer } from '@cinema/kit/graphql-http';
import { createLogger } from '@cinema/kit/logging';
import { runService } from '@cinema/kit/process';
import { SIGNATURE_HEADER, signRequest } from '@cinema/kit/signing';
import { apolloReportingPlugins, withoutApolloTelemetry } from '../router/src/apollo-telemetry.js';
import { authenticate } from '../router/src/authenticate.js';
import { loadRouterConfig } from '../router/src/config.js';
import type { RouterContext } from '../router/src/router-context.js';

const config = loadConfigOrExit(() => loadRouterConfig());
const logger = createLogger('stock-gateway', config.LOG_LEVEL);
const secret = new TextEncoder().encode(config.jwtSecret);
// Measured like the router: without Apollo's usage telemetry unless the operator opted in (README, "Security").
const gateway = withoutApolloTelemetry(
  config.APOLLO_TELEMETRY,
  () =>
    new ApolloGateway({
      supergraphSdl: readFileSync(config.SUPERGRAPH_PATH, 'utf8'),
      logger,
      buildService: ({ name, url }) => {
        const source = new RemoteGraphQLDataSource({ url: config.subgraphUrls[name]?.[0] ?? url ?? '' });
        const stockFetch = source.fetcher;
        source.fetcher = (target, init = {}) => {
          const headers = init.headers ?? {};
          const signable = { method: init.method ?? 'POST', path: new URL(target).pathname, headers, body: typeof init.body === 'string' ? init.body : null };
          return stockFetch(target, { ...init, headers: { ...headers, [SIGNATURE_HEADER]: signRequest(config.subgraphSecret, signable) } });
        };
        return source;
      },
    }),
);
const apollo = new ApolloServer<RouterContext>({
  gateway,
  formatError: createErrorFormatter(logger, config.NODE_ENV !== 'production'),
  includeStacktraceInErrorResponses: false,
  introspection: true,
  csrfPrevention: true,
  plugins: apolloReportingPlugins(config.APOLLO_TELEMETRY),
});
await apollo.start();
const server = createGraphQLHttpServer<RouterContext>({
  apollo,
  logger,
  context: async (req, { requestId }) => ({ identity: await authenticate(req.headers.authorization, secret), requestId }),
});
await runService({ server, stop: () => apollo.stop() }, { name: 'stock-gateway', host: config.HOST, port: config.PORT, logger });
