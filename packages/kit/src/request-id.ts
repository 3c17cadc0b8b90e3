import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { REQUEST_ID_HEADER } from './identity.js';

const SANE_REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Whether a caller's request id can be logged and forwarded as it is: at most 64 letters, digits, `.`, `_`, `-`. */
export function isValidRequestId(value: string): boolean {
  return SANE_REQUEST_ID.test(value);
}

/**
 * The id of an incoming request: the caller's `x-request-id` when it is a sane token, so that one id follows a
 * request from the client through the router to every subgraph; otherwise a fresh UUID. Anything else a caller sends
 * is dropped rather than cleaned up, because the id ends up in every log line and outgoing request of the request.
 */
export function requestIdOf(headers: IncomingHttpHeaders): string {
  const value = headers[REQUEST_ID_HEADER];
  return typeof value === 'string' && isValidRequestId(value) ? value : randomUUID();
}
