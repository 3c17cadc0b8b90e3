export { ConfigError, parseConfig, envFlag, envPort, envMode, z } from './config.js';
export { createLogger, type Logger } from './logger.js';
export { ErrorCode, badUserInput, notFound, unauthenticated } from './error-codes.js';
export { USER_ID_HEADER, REQUEST_ID_HEADER, isValidUserId } from './identity.js';
export { announceReady, exitWithParent, type ReadyMessage } from './ready-signal.js';
export { HttpBodyError, readBody, parseJsonBody } from './http-body.js';
export { createGraphQLHttpServer, sendJson, sendGraphQLError, type RouteHandler, type GraphQLHttpServerOptions } from './graphql-http-server.js';
export { closeGracefully, listen } from './graceful-close.js';
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
