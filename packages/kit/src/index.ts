export { ConfigError, parseConfig, loadConfigOrExit, envFlag, envPort, envMode, z } from './config.js';
export { createLogger, type Logger } from './logger.js';
export { ErrorCode, badUserInput, forbidden, notFound, unauthenticated } from './error-codes.js';
export { parseSearchText, MAX_SEARCH_TEXT_LENGTH } from './search-text.js';
export { USER_ID_HEADER, USER_ROLES_HEADER, REQUEST_ID_HEADER, isValidUserId, readUserId, readIdentity, writeIdentity, type Identity } from './identity.js';
export { announceReady, exitWithParent, type ReadyMessage } from './ready-signal.js';
export { HttpBodyError, readBody, parseJsonBody } from './http-body.js';
export { createGraphQLHttpServer, sendJson, sendGraphQLError, type RouteHandler, type GraphQLHttpServerOptions, type GraphQLRequestInterceptor } from './graphql-http-server.js';
export { sendRefusal, type RequestRefusal, type AdmissionRequest } from './graphql-http-server.js';
export { closeGracefully, listen } from './graceful-close.js';
export { encodeCursor, decodeCursor } from './cursor.js';
export { createEntityLoader, createGroupLoader, type LoaderOptions } from './batch-loaders.js';
export { RedisConnection, type RedisClient, type RedisConnectionOptions } from './redis-connection.js';
export { EntityCache, jsonCodec, type EntityCacheOptions, type EntityCacheStats, type EntityCodec } from './entity-cache.js';
export { CHANGED_ENTITIES_EXTENSION, changedEntitiesPlugin, entityTag, type ChangedEntitiesContext } from './changed-entities.js';
export { parseIntegerId, tryParseIntegerId, parsePageSize } from './entity-id.js';
export { createSubgraphServer, createErrorFormatter, type SubgraphServer, type SubgraphServerOptions } from './subgraph-server.js';
export { runService, type RunnableService, type RunServiceOptions } from './run-service.js';
export { subgraphConfigSchema } from './service-config.js';
export { SIGNATURE_HEADER, SIGNATURE_MAX_SKEW_MS, MIN_SUBGRAPH_SECRET_LENGTH, signRequest, RequestVerifier, type SignableRequest, type SignatureVerdict } from './request-signature.js';
export { DEVELOPMENT_JWT_SECRET, DEVELOPMENT_SUBGRAPH_SECRET, jwtSecretSetting, subgraphSecretSetting, resolveSubgraphSecret } from './development-secrets.js';
export {
  signStreamToken,
  verifyStreamToken,
  parseStreamKeys,
  isValidAssetId,
  isDevelopmentStreamKey,
  DEVELOPMENT_STREAM_KEY,
  STREAM_ASSET_ID_PATTERN,
  MAX_STREAM_TOKEN_LENGTH,
  StreamTokenError,
  type StreamKey,
  type StreamTokenClaims,
  type StreamTokenVerification,
} from './stream-token.js';
export { BoundedLoadRing, type BoundedLoadRingOptions } from './bounded-load-ring.js';
export { startServiceProcess, ServiceStartError, type ServiceProcess, type ServiceProcessOptions } from './service-process.js';
export { builtEntryOf, builtInputsOf, PRODUCTION_NODE_FLAGS, requireBuiltEntry, serviceRuntimeFor, MissingBuildError, TRACING_REGISTER_SOURCE, type ServiceRuntime } from './built-entry.js';
export { isValidRequestId, requestIdOf } from './request-id.js';
export { logRequestAtDebug, observeHttpRequest, type ObservedRequest, type ObservedOperation, type ObserveHttpRequestOptions } from './observe-http-request.js';
export { observeGraphQLOperations } from './observe-graphql-operations.js';
export { ServiceMetrics, type ServiceMetricsOptions, type PoolUsage, type CacheStats } from './service-metrics.js';
export { onShutdown, runShutdownHooks } from './shutdown-hooks.js';
