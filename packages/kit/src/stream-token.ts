import { createHmac, timingSafeEqual } from 'node:crypto';
import { isValidUserId } from './identity.js';

/**
 * One HMAC key. The key id travels in every token so that keys can rotate: sign with the newest key, keep the
 * previous ones configured on the verifiers until every token they signed has expired.
 */
export interface StreamKey {
  readonly kid: string;
  readonly secret: string;
}

/** What a stream token grants: one user may fetch one asset until `expiresAt`. */
export interface StreamTokenClaims {
  readonly assetId: string;
  readonly userId: string;
  readonly expiresAt: Date;
}

/** Outcome of {@link verifyStreamToken}; `expired` is only reported for authentic tokens. */
export type StreamTokenVerification =
  | { readonly ok: true; readonly userId: string; readonly kid: string; readonly expiresAt: Date }
  | { readonly ok: false; readonly reason: 'expired' | 'invalid' };

/** Raised when signing inputs or a key list are malformed; a programming or configuration error, never a client one. */
export class StreamTokenError extends Error {
  readonly code = 'STREAM_TOKEN_CONFIG_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'StreamTokenError';
  }
}

/**
 * Asset ids as they appear in stream URLs and in the media root: a folder name that can never be `.`/`..`, hidden
 * or need escaping. Shared so that the signer refuses what the chunk server would refuse anyway.
 */
const STREAM_ASSET_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** Whether `value` can name an asset in a stream URL (see {@link STREAM_ASSET_ID_PATTERN}). */
export function isValidAssetId(value: string): boolean {
  return STREAM_ASSET_ID_PATTERN.test(value);
}

const KID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;
const MIN_SECRET_LENGTH = 32;
/** Longest token accepted; bounds the work an attacker can make us do per request. */
export const MAX_STREAM_TOKEN_LENGTH = 512;
const TOKEN_PATTERN = /^([A-Za-z0-9_-]{1,32})\.([0-9]{1,12})\.([A-Za-z0-9_-]{1,172})\.([A-Za-z0-9_-]{43})$/;

/**
 * The key used when no `STREAM_KEYS` is configured, so that a fresh checkout streams without setup. Its name says
 * what it is; services refuse it when `NODE_ENV=production`.
 */
export const DEVELOPMENT_STREAM_KEY: StreamKey = Object.freeze({
  kid: 'dev-insecure',
  secret: 'development-only-stream-secret-never-use-in-production',
});

/** Whether a key is (or reuses the secret of) the public development key. */
export function isDevelopmentStreamKey(key: StreamKey): boolean {
  return key.kid === DEVELOPMENT_STREAM_KEY.kid || key.secret === DEVELOPMENT_STREAM_KEY.secret;
}

/**
 * Signs a URL-path-safe token granting `userId` access to `assetId` until `expiresAt` (whole seconds).
 *
 * The token is `<kid>.<expiry>.<base64url user id>.<base64url HMAC-SHA256>`: the asset id is not inside the token
 * but is covered by the MAC, so a token cannot be replayed against another asset, and playlists can use relative
 * URIs that inherit the token from the path.
 *
 * @example
 * const token = signStreamToken(key, { assetId: 'demo-1', userId: 'u42', expiresAt: new Date(Date.now() + 4 * 3600_000) });
 * const url = `${chunkServerUrl}/s/${token}/demo-1/master.m3u8`;
 */
export function signStreamToken(key: StreamKey, claims: StreamTokenClaims): string {
  assertValidKey(key);
  if (!isValidAssetId(claims.assetId)) throw new StreamTokenError(`Invalid asset id "${claims.assetId}"`);
  if (!isValidUserId(claims.userId)) throw new StreamTokenError('Invalid user id');
  const expiry = Math.floor(claims.expiresAt.getTime() / 1000);
  if (!Number.isSafeInteger(expiry) || expiry < 0 || expiry > 999_999_999_999) throw new StreamTokenError('Invalid expiry');
  const mac = computeMac(key.secret, key.kid, expiry, claims.assetId, claims.userId);
  return `${key.kid}.${expiry}.${Buffer.from(claims.userId, 'utf8').toString('base64url')}.${mac.toString('base64url')}`;
}

/**
 * Checks a token for `assetId` against every configured key, in constant time for the MAC comparison.
 *
 * A forged, truncated, unknown-key or other-asset token is `invalid`; `expired` is only returned once the signature
 * holds, so the answer never tells a forger anything about expiry.
 */
export function verifyStreamToken(keys: readonly StreamKey[], token: string, assetId: string, now: Date = new Date()): StreamTokenVerification {
  if (token.length > MAX_STREAM_TOKEN_LENGTH) return INVALID;
  const match = TOKEN_PATTERN.exec(token);
  if (!match) return INVALID;
  const [, kid, expiryText, userPart, macPart] = match as unknown as [string, string, string, string, string];
  const key = keys.find((candidate) => candidate.kid === kid);
  if (!key) return INVALID;
  const userId = Buffer.from(userPart, 'base64url').toString('utf8');
  if (!isValidUserId(userId) || !isValidAssetId(assetId)) return INVALID;
  const expiry = Number(expiryText);
  const expected = computeMac(key.secret, kid, expiry, assetId, userId);
  const given = Buffer.from(macPart, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return INVALID;
  if (expiry * 1000 <= now.getTime()) return EXPIRED;
  return { ok: true, userId, kid, expiresAt: new Date(expiry * 1000) };
}

/**
 * Reads a key list from configuration: JSON (`{"kid":"secret"}` or `[{"kid":"k1","secret":"..."}]`) or the short
 * form `kid:secret,kid2:secret2`. The first key is the one to sign with; all of them verify.
 */
export function parseStreamKeys(text: string): StreamKey[] {
  const trimmed = text.trim();
  let keys: StreamKey[];
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      throw new StreamTokenError('Stream keys look like JSON but do not parse');
    }
    keys = Array.isArray(parsed)
      ? parsed.map((entry: unknown) => {
          const { kid, secret } = (entry ?? {}) as { kid?: unknown; secret?: unknown };
          return { kid: String(kid), secret: String(secret) };
        })
      : Object.entries(parsed as Record<string, unknown>).map(([kid, secret]) => ({ kid, secret: String(secret) }));
  } else {
    keys = trimmed
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part !== '')
      .map((part) => {
        const colon = part.indexOf(':');
        if (colon <= 0) throw new StreamTokenError('Stream keys must be written kid:secret,kid2:secret2');
        return { kid: part.slice(0, colon), secret: part.slice(colon + 1) };
      });
  }
  if (keys.length === 0) throw new StreamTokenError('At least one stream key is required');
  const seen = new Set<string>();
  for (const key of keys) {
    assertValidKey(key);
    if (seen.has(key.kid)) throw new StreamTokenError(`Duplicate stream key id "${key.kid}"`);
    seen.add(key.kid);
  }
  return keys.map((key) => Object.freeze({ kid: key.kid, secret: key.secret }));
}

const INVALID = Object.freeze({ ok: false, reason: 'invalid' } as const);
const EXPIRED = Object.freeze({ ok: false, reason: 'expired' } as const);

function assertValidKey(key: StreamKey): void {
  if (!KID_PATTERN.test(key.kid)) throw new StreamTokenError(`Stream key id "${key.kid}" must match ${KID_PATTERN}`);
  if (key.secret.length < MIN_SECRET_LENGTH) {
    throw new StreamTokenError(`Stream key "${key.kid}" has a secret shorter than ${MIN_SECRET_LENGTH} characters`);
  }
}

/** Newline-separated fields are unambiguous: none of them may contain a newline (patterns above). */
function computeMac(secret: string, kid: string, expiry: number, assetId: string, userId: string): Buffer {
  return createHmac('sha256', secret).update(`cinema-stream-token/v1\n${kid}\n${expiry}\n${assetId}\n${userId}`).digest();
}
