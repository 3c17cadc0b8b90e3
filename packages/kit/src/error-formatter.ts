import type { GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import { ErrorCode } from './error-codes.js';

/**
 * Keeps internal details (SQL, stack traces, hostnames) out of client responses outside development, while every
 * error keeps a stable `extensions.code`. The original error is logged with the request so operators can find it.
 */
export function createErrorFormatter(logger: Logger, development: boolean) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.code;
    if (code && code !== ErrorCode.INTERNAL_SERVER_ERROR) return formatted;
    if (causedByCallerLeaving(error)) {
      // Nobody will read this answer: the client closed its connection (a load generator's run ending, a viewer
      // leaving, the router giving up on a subgraph request) and the work done for it was given up on purpose. Not a
      // fault, so not logged as one.
      logger.debug({ path: formatted.path }, 'gave up resolving: the client left');
      return formatted;
    }
    logger.error({ err: error, path: formatted.path }, 'internal error while resolving');
    if (development) return { ...formatted, extensions: { ...formatted.extensions, code: ErrorCode.INTERNAL_SERVER_ERROR } };
    return { message: 'Internal server error', ...(formatted.path ? { path: formatted.path } : {}), extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
  };
}

/**
 * Codes of the errors a request's work fails with once its client has left: the router's `CallerGoneError`, and a
 * subgraph's `QueryCancelledError` (its SQL cancelled because the router gave up on the request).
 */
const GIVEN_UP_CODES: ReadonlySet<unknown> = new Set(['CALLER_GONE', 'QUERY_CANCELLED']);

/** Whether `error`, or an error it wraps (GraphQL's `originalError`, a `cause`), is one of those errors. */
function causedByCallerLeaving(error: unknown): boolean {
  for (let current = error, depth = 0; current && typeof current === 'object' && depth < 5; depth += 1) {
    if (GIVEN_UP_CODES.has((current as { code?: unknown }).code)) return true;
    current = (current as { originalError?: unknown }).originalError ?? (current as { cause?: unknown }).cause;
  }
  return false;
}
