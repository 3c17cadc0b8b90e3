/**
 * `@cinema/kit/http`: per-request observation of a plain HTTP server (request id, access log, metrics), without
 * GraphQL: the chunk server's request handling, and the `ObservedRequest` a GraphQL context receives.
 */
export { observeHttpRequest, type ObservedRequest } from '../observe-http-request.js';
