/**
 * `@cinema/kit/graphql-http`: the HTTP server in front of an Apollo server (body limits, routes, admission hook,
 * operation observation, error masking). Used by the router and, through `@cinema/kit/subgraph`, by every subgraph.
 */
export {
  createGraphQLHttpServer,
  sendGraphQLError,
  sendJson,
  sendRefusal,
  type RouteHandler,
  type GraphQLRequestInterceptor,
  type RequestRefusal,
  type AdmissionRequest,
} from '../graphql-http-server.js';
export { observeGraphQLOperations } from '../observe-graphql-operations.js';
export { createErrorFormatter } from '../error-formatter.js';
export { parseJsonBody } from '../http-body.js';
