import type { IncomingMessage } from 'node:http';
import { ErrorCode } from '@cinema/kit/errors';
import type { RequestRefusal } from '@cinema/kit/graphql-http';

/** The media type of a `Content-Type` value, lower-cased and without parameters (`application/json; charset=utf-8` → `application/json`). */
export function mediaTypeOf(contentType: string | undefined): string {
  return (contentType ?? '').split(';', 1)[0]!.trim().toLowerCase();
}

/**
 * The router's cross-site request policy, in place of Apollo's CSRF prevention (README, "Security" → HTTP).
 *
 * A browser sends a cross-site request without a CORS preflight only when it is "simple": a GET, or a POST whose
 * body is `text/plain`, `application/x-www-form-urlencoded` or `multipart/form-data`. Identity travels only in the
 * `Authorization` header, which a page cannot add to a simple request, and never in cookies, so such a request is
 * always anonymous. What remains is to keep it from changing anything:
 *
 * - a POST runs only with an `application/json` body (anything else is a 415 `UNSUPPORTED_MEDIA_TYPE` here, before
 *   the body is parsed), and a JSON body cross-site needs a preflight, which CORS answers only for `CORS_ORIGINS`;
 * - a GET runs queries only: Apollo refuses a mutation over GET with 405.
 *
 * So GET queries need no preflight-forcing header (clients such as urql send queries as GET by default, and GET is
 * what HTTP caches and CDNs understand), while writes stay impossible for a page on another site.
 */
export function refuseNonJsonPost(req: IncomingMessage): RequestRefusal | null {
  if (req.method !== 'POST') return null;
  const mediaType = mediaTypeOf(req.headers['content-type']);
  if (mediaType === 'application/json') return null;
  return {
    status: 415,
    code: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
    message: `A GraphQL POST needs Content-Type: application/json${mediaType ? `, not ${mediaType}` : ''}`,
  };
}
