import { readFileSync } from 'node:fs';
import type { IncomingMessage, Server } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { RedisConnection } from '@cinema/kit/cache';
import { createErrorFormatter, createGraphQLHttpServer, observeGraphQLOperations, sendJson } from '@cinema/kit/graphql-http';
import type { Identity } from '@cinema/kit/identity';
import type { Logger } from '@cinema/kit/logging';
import { ServiceMetrics } from '@cinema/kit/metrics';
import { observeHttpRequest } from '@cinema/kit/http';
import { apolloReportingPlugins, withoutApolloTelemetry } from './apollo-telemetry.js';
import { authenticate } from './authenticate.js';
import { createPlayground } from './playground/playground.js';
import { SubgraphBalancer } from './balancing/subgraph-balancer.js';
import { DEVELOPMENT_JWT_SECRET, replicaSourcesFor, subgraphTimeoutMs, type RouterConfig } from './config.js';
import { serveCacheHitsFirst } from './response-cache/cache-hit-fast-path.js';
import { createResponseCache } from './response-cache/create-response-cache.js';
import type { RouterContext } from './router-context.js';
import { SubgraphDataSource } from './subgraph-data-source.js';
import { corsPolicy } from './cors-policy.js';
import { graphqlResponseStatus } from './graphql-response-status.js';
import { DocumentLimits } from './limits/document-limits.js';
import { queryCostPlugin } from './limits/query-cost-plugin.js';
import { ManifestQueryCache } from './persisted-queries/manifest-query-cache.js';
import { readPersistedQueryManifest } from './persisted-queries/persisted-query-manifest.js';
import { RedisQueryCache } from './persisted-queries/redis-query-cache.js';
import { clientAddress } from './rate-limit/client-address.js';
import { MemoryRateLimiter } from './rate-limit/memory-rate-limiter.js';
import { RedisRateLimiter } from './rate-limit/redis-rate-limiter.js';
import { routerAdmission } from './router-admission.js';
import { subgraphRequestSigner } from './subgraph-request-signer.js';
import { loadGateway } from './load-gateway.js';
import { loadWebApp } from './web-app.js';

/** Where a request's verified caller is kept, once per request (the cache, admission and context all ask). */
const IDENTITY = Symbol('identity');
/** What `authenticate` answers for a request without an `Authorization` header, made once. */
const ANONYMOUS: Promise<Identity> = Promise.resolve(Object.freeze({ userId: null, roles: Object.freeze([]) }));

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
 * `schema:check` verified), with JWT authentication in front and the user id forwarded to subgraphs. Subgraph
 * requests go through the {@link SubgraphBalancer}: several replicas per subgraph, health checks, timeouts and
 * retries, reported on `/health` and `/metrics`. Each one is signed with `SUBGRAPH_SECRET`, and nothing reaches a
 * subgraph before the request has passed CORS, batch bounds, the rate limit, the allow-list (when on) and the query
 * limits (README, "Security").
 */
export async function createRouter({ config, logger }: RouterOptions): Promise<Router> {
  const development = config.NODE_ENV !== 'production';
  const secret = new TextEncoder().encode(config.jwtSecret);
  const balancer = new SubgraphBalancer({
    ...config.balancing,
    sourcesFor: (name, routingUrl) => replicaSourcesFor(config, name, routingUrl),
    timeoutMsFor: (name) => subgraphTimeoutMs(config, name),
    logger,
    signRequest: subgraphRequestSigner(config.subgraphSecret),
  });
  // One registry for the whole router: the balancer's, which already collects Node's process metrics.
  const metrics = new ServiceMetrics({ registry: balancer.metrics.registry, collectDefaultMetrics: false });
  const supergraphSdl = readFileSync(config.SUPERGRAPH_PATH, 'utf8');
  // The response cache needs the caller before Apollo runs; the context reuses the same verification.
  // Kept on the request itself rather than in a WeakMap: a WeakMap entry per request is an ephemeron the garbage
  // collector must trace, for every request the router serves.
  // A request without a token is anonymous with no verification to do: one shared, frozen answer.
  const identify = (req: IncomingMessage & { [IDENTITY]?: Promise<Identity> }): Promise<Identity> => {
    const authorization = req.headers.authorization;
    if (authorization === undefined || authorization === '') return ANONYMOUS;
    return (req[IDENTITY] ??= authenticate(authorization, secret));
  };
  const responseCache = config.RESPONSE_CACHE
    ? createResponseCache({
        settings: config,
        supergraphSdl,
        logger,
        registry: balancer.metrics.registry,
        observeCache: (name, stats) => metrics.observeCache(name, stats),
        identify,
      })
    : undefined;
  // Rate limits and automatic persisted queries are shared by every router instance through Redis when it is set.
  const redis = config.REDIS_URL
    ? new RedisConnection({ url: config.REDIS_URL, logger, name: 'rate-limit', commandTimeoutMs: config.REDIS_COMMAND_TIMEOUT_MS })
    : undefined;
  redis?.connect();
  const limiter =
    config.RATE_LIMIT === 0
      ? undefined
      : redis
        ? new RedisRateLimiter(redis, config.RATE_LIMIT, `${config.CACHE_KEY_PREFIX}rate-limit:`)
        : new MemoryRateLimiter(config.RATE_LIMIT);
  const registered = config.PERSISTED_QUERIES_ONLY ? readPersistedQueryManifest(config.PERSISTED_QUERIES_MANIFEST) : undefined;
  const { gateway: gatewayModule, flatExports } = await loadGateway();
  logger.debug({ flatExports }, 'gateway loaded');
  const gateway = withoutApolloTelemetry(
    config.APOLLO_TELEMETRY,
    () =>
      new gatewayModule.ApolloGateway({
        supergraphSdl,
        logger,
        // The balancer picks a replica per request; the supergraph's URL is only the fallback replica.
        buildService: ({ name, url }) => new SubgraphDataSource(balancer.upstreamFor(name, url)),
      }),
  );
  const apollo = new ApolloServer<RouterContext>({
    gateway,
    formatError: createErrorFormatter(logger, development),
    includeStacktraceInErrorResponses: false,
    plugins: [
      ...apolloReportingPlugins(config.APOLLO_TELEMETRY),
      queryCostPlugin(config.queryLimits),
      observeGraphQLOperations(),
      ...(responseCache ? [responseCache.plugin] : []),
    ],
    introspection: config.introspection,
    // Replaced by the router's own policy (json-only-posts.ts): GET queries need no preflight-forcing header, and
    // nothing that can change data runs from a request a browser sends cross-site without a preflight.
    csrfPrevention: false,
    allowBatchedHttpRequests: config.MAX_BATCH_SIZE > 1,
    ...(registered
      ? { persistedQueries: { cache: new ManifestQueryCache(registered) } }
      : redis
        ? { persistedQueries: { cache: new RedisQueryCache(redis, config.CACHE_KEY_PREFIX) } }
        : {}),
  });
  await apollo.start();
  await balancer.ready();
  const playground = await createPlayground({
    endpoint: '/graphql',
    ...(config.jwtSecret === DEVELOPMENT_JWT_SECRET ? { developmentJwtSecret: DEVELOPMENT_JWT_SECRET } : {}),
  });
  const webApp = loadWebApp({ root: config.WEB_APP_DIR, mediaOrigins: config.WEB_APP_MEDIA_ORIGINS });
  const onRequest = corsPolicy({ origins: config.CORS_ORIGINS, graphqlPath: '/graphql' });
  const admit = routerAdmission({
    maxBatchSize: config.MAX_BATCH_SIZE,
    limiter,
    perMinute: config.RATE_LIMIT,
    identify,
    clientAddress: (req) => clientAddress(req, config.TRUST_PROXY_HOPS),
    documentLimits: new DocumentLimits(config.queryLimits),
    registered,
  });
  const server = createGraphQLHttpServer<RouterContext>({
    apollo,
    logger,
    landingPage: playground.landingPage,
    metrics,
    bodyLimitBytes: config.MAX_BODY_BYTES,
    onRequest,
    admit,
    context: async (req, observed) => {
      const responseCapture = responseCache?.cache.captureFor(req);
      // A write through another router instance shows as a newer invalidation clock: reads after it must not merge
      // with fetches sent before it.
      balancer.writes.observeInvalidationClock(responseCapture?.clock);
      const writeEpoch = balancer.writes.current;
      return { identity: await identify(req), requestId: observed.requestId, signal: observed.signal, writeEpoch, responseCapture };
    },
    intercept: graphqlResponseStatus(responseCache?.cache.intercept),
    ...(webApp ? { fallback: webApp.fallback } : {}),
    routes: {
      ...webApp?.routes,
      ...playground.routes,
      // 200 even when degraded: the router still answers, with partial data and an error for the missing part.
      '/health': (_req, res) => sendJson(res, 200, balancer.health()),
      // `/metrics` is the kit's (`metrics.route`, `cache-control: no-store` like every service): `metrics` renders the
      // balancer's registry, which holds the router's own metrics too.
    },
  });
  if (responseCache) {
    // Hits are answered before the generic GraphQL server's per-request machinery; everything else goes on to it.
    serveCacheHitsFirst(server, {
      cache: responseCache.cache,
      graphqlPath: '/graphql',
      maxBodyBytes: config.MAX_BODY_BYTES,
      observe: (req, res) => observeHttpRequest(req, res, { logger, metrics, route: '/graphql' }),
      onRequest,
      admit,
      admissionByBodyAlone: admit.byBodyAlone,
      logger,
    });
  }
  return {
    server,
    stop: async () => {
      await apollo.stop();
      await balancer.close();
      await responseCache?.close();
      await redis?.close();
    },
  };
}
