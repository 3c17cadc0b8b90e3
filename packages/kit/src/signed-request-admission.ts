import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import { ErrorCode } from './error-codes.js';
import { sendRefusal, type AdmissionRequest, type RequestRefusal, type RouteHandler } from './graphql-http-server.js';
import { readBody } from './http-body.js';
import type { RequestVerifier } from './request-signature.js';

/** Bodies of internal routes are small (the catalogue feed is a GET); anything bigger is refused before hashing. */
const INTERNAL_ROUTE_BODY_LIMIT = 64 * 1024;

/**
 * The `admit` hook of a subgraph's GraphQL endpoint: only requests the router signed get through, `_entities` and
 * `_service` included, so neither data nor a forged identity can be had by calling a subgraph directly. Missing
 * proof is a 401, a bad, stale or replayed one a 403; either way Apollo never sees the request. The reason goes to
 * the log, not to the caller.
 */
export function admitSignedRequest(verifier: RequestVerifier, logger: Logger) {
  return (req: IncomingMessage, request: AdmissionRequest): RequestRefusal | null => check(verifier, logger, req, request.bytes);
}

/**
 * Wraps an internal route (one another service of the platform calls, like the catalogue feed) so that it answers
 * only signed requests, with the same refusals as {@link admitSignedRequest}.
 */
export function signedRoute(verifier: RequestVerifier, logger: Logger, handler: RouteHandler): RouteHandler {
  return async (req, res, url) => {
    const refusal = check(verifier, logger, req, await readBody(req, INTERNAL_ROUTE_BODY_LIMIT));
    if (refusal) return sendRefusal(res, refusal);
    return handler(req, res, url);
  };
}

function check(verifier: RequestVerifier, logger: Logger, req: IncomingMessage, body: Buffer): RequestRefusal | null {
  const verdict = verifier.verify({ method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body });
  if (verdict.ok) return null;
  logger.warn(
    { reason: verdict.reason, method: req.method, path: req.url, remoteAddress: req.socket.remoteAddress },
    'request without a valid router signature refused',
  );
  return verdict.status === 401
    ? { status: 401, code: ErrorCode.ROUTER_SIGNATURE_REQUIRED, message: 'This service answers the router only: the request carries no router signature' }
    : { status: 403, code: ErrorCode.ROUTER_SIGNATURE_INVALID, message: 'The router signature of this request is not valid' };
}
