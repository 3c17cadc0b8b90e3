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
