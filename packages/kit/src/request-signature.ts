import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { USER_ID_HEADER, USER_ROLES_HEADER } from './identity.js';
import { NonceCache } from './nonce-cache.js';

/**
 * Header carrying the router's proof of origin on every request to a subgraph (and on service-to-service calls such
 * as the catalogue feed): `t=<unix ms>,n=<nonce>,v1=<base64url HMAC-SHA256>`.
 */
export const SIGNATURE_HEADER = 'x-router-signature';

/**
 * How far a signature's timestamp may be from the verifier's clock, either way. The router signs each attempt just
 * before sending it, so only clock skew between hosts and time in flight count against it; it also bounds how long
 * a verifier must remember a nonce to refuse replays.
 */
export const SIGNATURE_MAX_SKEW_MS = 30_000;

/** Shortest shared secret accepted: 32 characters, as for `JWT_SECRET`. */
export const MIN_SUBGRAPH_SECRET_LENGTH = 32;

/** What the signature covers: the request line, the forwarded identity and the exact body bytes. */
export interface SignableRequest {
  method: string;
  /** Path and query string as on the request line, e.g. `/graphql` or `/feeds/catalogue?after=12`. */
  path: string;
  /** Request headers with lower-case names; the identity headers among them are signed. */
  headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The bytes sent as the body (a string is sent, and hashed, as UTF-8); null or empty for none. */
  body: string | Uint8Array | null;
}

/** Why a request was refused; `status` 401 when the proof is absent, 403 when it is present but not valid. */
export type SignatureVerdict =
  | { readonly ok: true }
  | { readonly ok: false; readonly status: 401; readonly reason: 'missing' }
  | { readonly ok: false; readonly status: 403; readonly reason: 'malformed' | 'expired' | 'mismatch' | 'replayed' };

/**
 * Signs a request for a subgraph: returns the {@link SIGNATURE_HEADER} value to send with it.
 *
 * The MAC covers the method, path and query, a timestamp, a random nonce, the identity headers the router forwards
 * (`x-user-id`, `x-user-roles`, empty when absent) and a SHA-256 of the body, so a subgraph can trust the forwarded
 * identity: changing any of them, or adding an identity header to an anonymous request, breaks the signature.
 *
 * @example
 * headers[SIGNATURE_HEADER] = signRequest(secret, { method: 'POST', path: '/graphql', headers, body });
 */
export function signRequest(secret: string, request: SignableRequest, now: number = Date.now()): string {
  const timestamp = Math.floor(now);
  const nonce = randomUUID();
  return `t=${timestamp},n=${nonce},v1=${mac(secret, timestamp, nonce, request).toString('base64url')}`;
}

const HEADER_PATTERN = /^t=(\d{1,15}),n=([A-Za-z0-9_-]{16,64}),v1=([A-Za-z0-9_-]{43})$/;

/**
 * Checks the router's proof on incoming requests: a valid MAC under the shared secret, a timestamp within
 * {@link SIGNATURE_MAX_SKEW_MS} of now, and a nonce not seen before.
 *
 * Replays are refused by remembering each accepted nonce until its timestamp leaves the window; a captured request
 * is only worth replaying inside that window, so memory stays bounded by the request rate times the window. The
 * memory is per process: a request replayed within the window to another replica of the same subgraph is accepted
 * there once (see README, "Security").
 */
export class RequestVerifier {
  readonly #secret: string;
  readonly #maxSkewMs: number;
  readonly #nonces: NonceCache;

  constructor(secret: string, options: { maxSkewMs?: number; maxRememberedNonces?: number } = {}) {
    this.#secret = secret;
    this.#maxSkewMs = options.maxSkewMs ?? SIGNATURE_MAX_SKEW_MS;
    this.#nonces = new NonceCache(options.maxRememberedNonces ?? 1_000_000);
  }

  verify(request: SignableRequest, now: number = Date.now()): SignatureVerdict {
    const header = request.headers[SIGNATURE_HEADER];
    if (header === undefined || header === '') return { ok: false, status: 401, reason: 'missing' };
    const match = typeof header === 'string' ? HEADER_PATTERN.exec(header) : null;
    if (!match) return { ok: false, status: 403, reason: 'malformed' };
    const [, timestampText, nonce, given] = match as unknown as [string, string, string, string];
    const timestamp = Number(timestampText);
    if (Math.abs(now - timestamp) > this.#maxSkewMs) return { ok: false, status: 403, reason: 'expired' };
    const expected = mac(this.#secret, timestamp, nonce, request);
    const givenBytes = Buffer.from(given, 'base64url');
    if (givenBytes.length !== expected.length || !timingSafeEqual(givenBytes, expected)) return { ok: false, status: 403, reason: 'mismatch' };
    // Only authentic requests reach the nonce memory, so nobody but the router can fill it.
    if (!this.#nonces.remember(nonce, timestamp + this.#maxSkewMs, now)) return { ok: false, status: 403, reason: 'replayed' };
    return { ok: true };
  }
}

function mac(secret: string, timestamp: number, nonce: string, request: SignableRequest): Buffer {
  const body = request.body ?? '';
  const bodyHash = createHash('sha256').update(body).digest('hex');
  const canonical = [
    'v1',
    timestamp,
    nonce,
    request.method.toUpperCase(),
    request.path,
    headerValue(request.headers[USER_ID_HEADER]),
    headerValue(request.headers[USER_ROLES_HEADER]),
    bodyHash,
  ].join('\n');
  return createHmac('sha256', secret).update(canonical).digest();
}

/** Node joins repeated headers with `, `; signing the joined form means a repeated identity header cannot verify. */
const headerValue = (value: string | string[] | undefined): string => (Array.isArray(value) ? value.join(', ') : (value ?? ''));
