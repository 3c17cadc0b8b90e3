/**
 * Why an attempt on a replica failed. The kind decides what happens next: `refused` proves the request never left
 * (so even a mutation may go to another replica) and ejects the replica at once; the others only raise suspicion.
 *
 * - `refused`: the connection could not be opened (refused, unreachable, connect timeout).
 * - `timeout`: no complete answer within the subgraph's timeout.
 * - `reset`: the connection broke after the request may have been written.
 * - `status`: the replica answered with a 5xx status.
 * - `unhealthy`: the replica's health endpoint said it is not ready (active checks only).
 */
export type FailureKind = RequestFailureKind | 'unhealthy';

/**
 * Whether a failure proves the replica down (nothing accepted the connection, or its health endpoint says it is not
 * ready), rather than only making it suspect (slow, a broken connection, a 5xx).
 */
export const provesDown = (kind: FailureKind): boolean => kind === 'refused' || kind === 'unhealthy';

/** The ways a request (rather than a health probe) can fail. */
export type RequestFailureKind = 'refused' | 'timeout' | 'reset' | 'status';

export const REQUEST_FAILURE_KINDS: readonly RequestFailureKind[] = ['refused', 'timeout', 'reset', 'status'];

/** Error codes (Node's and undici's) raised before a single byte of the request was written. */
const NEVER_SENT = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'EADDRNOTAVAIL', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);
const TIMEOUTS = new Set(['ATTEMPT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);

/** Classifies a transport error (undici's, Node's, or our attempt timeout); anything unrecognised counts as `reset`, the cautious choice. */
export function classifyTransportError(error: unknown): RequestFailureKind {
  const code = errorCode(error);
  if (code !== undefined && NEVER_SENT.has(code)) return 'refused';
  // Node's happy-eyeballs connect reports every address it tried; all of them must have refused.
  if (error instanceof AggregateError && error.errors.length > 0 && error.errors.every((inner) => NEVER_SENT.has(errorCode(inner) ?? ''))) return 'refused';
  if (code !== undefined && TIMEOUTS.has(code)) return 'timeout';
  return 'reset';
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}
