import type { IncomingMessage } from 'node:http';
import type { HTTPGraphQLRequest, HTTPGraphQLResponse } from '@apollo/server';
import type { GraphQLRequestInterceptor } from '@cinema/kit/graphql-http';
import { mediaTypeOf } from './json-only-posts.js';

/**
 * Errors of a well-formed HTTP request whose GraphQL could not run: the document does not parse or validate, the
 * named operation is not in it, or the variables do not fit it.
 */
const REQUEST_ERROR_CODES = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'OPERATION_RESOLUTION_FAILURE', 'BAD_USER_INPUT']);

type Execute = (request: HTTPGraphQLRequest) => Promise<HTTPGraphQLResponse>;

/**
 * Status codes as the GraphQL-over-HTTP specification asks, around Apollo (and the response cache, when on).
 *
 * Apollo answers a document that does not parse or validate, or variables that do not coerce, with 400 whatever the
 * client accepts. The specification keeps 4xx for `application/graphql-response+json` (whose clients read the
 * status), but for a response in legacy `application/json` it says 200 (SHOULD): clients of that media type read
 * `errors` in the body and may treat any other status as a transport failure with no body worth reading. So such a
 * 400 becomes a 200 with the same body. Malformed HTTP requests (no `query`, JSON that does not parse, a mutation
 * over GET) and the router's own refusals (query limits, rate limits) keep their 4xx.
 */
export function graphqlResponseStatus(inner?: GraphQLRequestInterceptor): GraphQLRequestInterceptor {
  return async (req: IncomingMessage, request: HTTPGraphQLRequest, execute: Execute) => {
    const response = await (inner ? inner(req, request, execute) : execute(request));
    if (response.status !== 400 || response.body.kind !== 'complete') return response;
    if (mediaTypeOf(response.headers.get('content-type')) !== 'application/json') return response;
    if (isRequestError(response.body.string)) response.status = 200;
    return response;
  };
}

/** Whether a response body holds GraphQL request errors only (no `data`, every code one of {@link REQUEST_ERROR_CODES}). */
function isRequestError(body: string): boolean {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return false;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed) || 'data' in parsed) return false;
  const errors = (parsed as { errors?: unknown }).errors;
  return (
    Array.isArray(errors) &&
    errors.length > 0 &&
    errors.every((error: { extensions?: { code?: unknown } } | null) => REQUEST_ERROR_CODES.has(String(error?.extensions?.code)))
  );
}
