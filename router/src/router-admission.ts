import type { IncomingMessage } from 'node:http';
import { ErrorCode } from '@cinema/kit/errors';
import type { AdmissionRequest, RequestRefusal } from '@cinema/kit/graphql-http';
import type { Identity } from '@cinema/kit/identity';
import { requestedOperations } from './graphql-request-operations.js';
import type { DocumentLimits } from './limits/document-limits.js';
import { checkAllowList } from './persisted-queries/allow-list.js';
import type { RateLimiter } from './rate-limit/rate-limiter.js';
import { refuseNonJsonPost } from './json-only-posts.js';
import { refuseUnsupportedOperation } from './unsupported-operations.js';

export interface RouterAdmissionOptions {
  /** Most operations in one batched HTTP request. */
  maxBatchSize: number;
  /** Absent: no rate limiting (`RATE_LIMIT=0`). */
  limiter?: RateLimiter | undefined;
  /** Requests per minute per client, for the refusal's message. */
  perMinute: number;
  identify(req: IncomingMessage): Promise<Identity>;
  clientAddress(req: IncomingMessage): string;
  /** The static query limits (tokens, depth, aliases). */
  documentLimits: DocumentLimits;
  /** Allow-list mode: the registered operations by hash; absent, any operation may run. */
  registered?: ReadonlyMap<string, string> | undefined;
}

/** The router's admission (see {@link routerAdmission}). */
export interface RouterAdmission {
  (req: IncomingMessage, request: AdmissionRequest): Promise<RequestRefusal | null>;
  /**
   * Whether the answer to a POST with `Content-Type: application/json` depends on its body alone (true with no rate
   * limiter: every other step reads only the body, and the limits are fixed at start-up), so that a body once
   * admitted is admitted again; the response cache's fast path remembers it with the body.
   */
  readonly byBodyAlone: boolean;
}

/**
 * The router's `admit` hook: every GraphQL request passes it before Apollo parses anything, in order of cost:
 *
 * 0. a POST body that is not JSON (`UNSUPPORTED_MEDIA_TYPE`, 415), before it is even parsed (see `json-only-posts.ts`);
 * 1. batch bound (`BATCH_TOO_LARGE`);
 * 2. rate limit (`RATE_LIMITED`, 429 with `Retry-After`): a client is its user id when it sends a valid token, else
 *    its IP address; a batch costs one request per operation; a token that does not verify counts against the IP
 *    address and is refused with 401 later, as without a limiter;
 * 3. allow-list (`OPERATION_NOT_ALLOWED`), in allow-list mode;
 * 4. static query limits of each operation sent as text (`QUERY_TOO_LARGE`, `QUERY_TOO_DEEP`, `TOO_MANY_ALIASES`).
 *    An operation sent by hash alone was checked when it was registered (its text came through here) or comes from
 *    the manifest;
 * 5. what the router cannot serve (`SUBSCRIPTIONS_NOT_SUPPORTED`, `DEFER_NOT_SUPPORTED`, `STREAM_NOT_SUPPORTED`).
 *
 * The cost limit needs the validated operation and its variables: `queryCostPlugin` applies it inside Apollo.
 */
export function routerAdmission(options: RouterAdmissionOptions): RouterAdmission {
  const admit = async (req: IncomingMessage, request: AdmissionRequest): Promise<RequestRefusal | null> => {
    const mediaType = refuseNonJsonPost(req);
    if (mediaType) return mediaType;
    const operations = requestedOperations(req.method, request.url, request.body());
    if (operations.length > options.maxBatchSize) {
      return {
        status: 400,
        code: ErrorCode.BATCH_TOO_LARGE,
        message: `A batch may hold at most ${options.maxBatchSize} operations; this one holds ${operations.length}`,
        extensions: { operations: operations.length, maxBatchSize: options.maxBatchSize },
      };
    }
    if (options.limiter) {
      const userId = await options.identify(req).then(
        (identity) => identity.userId,
        () => null,
      );
      const decision = await options.limiter.take(userId ? `user:${userId}` : `ip:${options.clientAddress(req)}`, Math.max(1, operations.length));
      if (decision && !decision.allowed) {
        return {
          status: 429,
          code: ErrorCode.RATE_LIMITED,
          message: `Too many requests: at most ${options.perMinute} a minute; retry in ${decision.retryAfterSeconds} s`,
          headers: { 'retry-after': String(decision.retryAfterSeconds) },
          extensions: { retryAfterSeconds: decision.retryAfterSeconds },
        };
      }
    }
    for (const { query, operationName } of operations) {
      if (query === undefined) continue;
      const refusal =
        (options.registered ? checkAllowList(query, options.registered) : null) ??
        options.documentLimits.check(query) ??
        refuseUnsupportedOperation(query, operationName);
      if (refusal) return refusal;
    }
    return null;
  };
  return Object.assign(admit, { byBodyAlone: !options.limiter });
}
