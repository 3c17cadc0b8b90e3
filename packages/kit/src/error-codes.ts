import { GraphQLError } from 'graphql';

/**
 * Every error code the platform gives to clients. Codes are a public contract: clients branch on them, so a code
 * is never renamed or reused for another meaning. Apollo's own codes (GRAPHQL_PARSE_FAILED,
 * GRAPHQL_VALIDATION_FAILED, BAD_USER_INPUT, ...) are kept as they are and listed here when we raise them.
 */
export const ErrorCode = {
  /** The input is well-formed GraphQL but its values are out of range or malformed (ids, scores, cursors). */
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  /** The request body is not valid JSON or not a GraphQL request at all. */
  BAD_REQUEST: 'BAD_REQUEST',
  /** An entity named by id does not exist. */
  NOT_FOUND: 'NOT_FOUND',
  /** The operation needs a signed-in user and the request carries no valid token. */
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  /** The signed-in user lacks the role the operation needs (e.g. `editor` for catalogue changes). */
  FORBIDDEN: 'FORBIDDEN',
  /** The movie has no media to play (no asset assigned). */
  STREAM_NOT_AVAILABLE: 'STREAM_NOT_AVAILABLE',
  /** No chunk server is healthy, or none is configured; retry later. */
  STREAMING_UNAVAILABLE: 'STREAMING_UNAVAILABLE',
  /** A fault on our side; details stay in the logs. */
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
  /** A subgraph was called without the router's signature (401): subgraphs answer the router only. */
  ROUTER_SIGNATURE_REQUIRED: 'ROUTER_SIGNATURE_REQUIRED',
  /** A subgraph was called with a forged, stale or replayed router signature (403). */
  ROUTER_SIGNATURE_INVALID: 'ROUTER_SIGNATURE_INVALID',
  /** The operation nests fields deeper than the router allows (400); `extensions.depth` and `maxDepth` say by how much. */
  QUERY_TOO_DEEP: 'QUERY_TOO_DEEP',
  /** The operation's estimated cost, from list sizes, is over the router's limit (400); `extensions.cost` and `maxCost`. */
  QUERY_TOO_COMPLEX: 'QUERY_TOO_COMPLEX',
  /** The operation uses more aliases than the router allows (400). */
  TOO_MANY_ALIASES: 'TOO_MANY_ALIASES',
  /** The operation's text is longer, or has more tokens, than the router allows (400). */
  QUERY_TOO_LARGE: 'QUERY_TOO_LARGE',
  /** An HTTP request holds more batched operations than the router allows (400). */
  BATCH_TOO_LARGE: 'BATCH_TOO_LARGE',
  /** Apollo's code for a persisted-query hash the server does not know: send the query text with the hash. */
  PERSISTED_QUERY_NOT_FOUND: 'PERSISTED_QUERY_NOT_FOUND',
  /** Only registered operations run (allow-list mode) and this one is not registered (403). */
  OPERATION_NOT_ALLOWED: 'OPERATION_NOT_ALLOWED',
  /** The client sent more requests than its rate limit allows (429, with `Retry-After` in seconds). */
  RATE_LIMITED: 'RATE_LIMITED',
  /**
   * A POST whose body is not `application/json` (415): the router runs only JSON bodies, which a browser sends
   * cross-site only after a CORS preflight, so no page can make a visitor's browser run an operation unasked.
   */
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  /** The operation is a subscription (400): the graph has no subscription type and the router no transport for one. */
  SUBSCRIPTIONS_NOT_SUPPORTED: 'SUBSCRIPTIONS_NOT_SUPPORTED',
  /** The operation uses `@defer` (400): the router answers every operation in one response. */
  DEFER_NOT_SUPPORTED: 'DEFER_NOT_SUPPORTED',
  /** The operation uses `@stream` (400): the router answers every operation in one response. */
  STREAM_NOT_SUPPORTED: 'STREAM_NOT_SUPPORTED',
  /** `signUp` with an email address that already has an account. */
  EMAIL_TAKEN: 'EMAIL_TAKEN',
  /** `logIn` with an unknown email address or a wrong password; the two are not told apart. */
  INVALID_CREDENTIALS: 'INVALID_CREDENTIALS',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** A client mistake in an argument; `argumentName` lets a form highlight the offending input. */
export function badUserInput(message: string, argumentName?: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: ErrorCode.BAD_USER_INPUT, ...(argumentName ? { argumentName } : {}) },
  });
}

/** A lookup by id that found nothing; the field resolves to null and this error says why. */
export function notFound(typename: string, id: string): GraphQLError {
  return new GraphQLError(`No ${typename} with id "${id}"`, {
    extensions: { code: ErrorCode.NOT_FOUND, typename, id },
  });
}

/** The signed-in user may not do this; `role`, when a role would allow it, lets the client say which. */
export function forbidden(message: string, role?: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.FORBIDDEN, ...(role ? { role } : {}) } });
}

/** The operation needs a signed-in user. */
export function unauthenticated(message = 'This operation needs a signed-in user: send Authorization: Bearer <token>'): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.UNAUTHENTICATED, http: { status: 200 } } });
}
