import { MAX_STREAM_TOKEN_LENGTH, isValidAssetId } from '@cinema/kit/stream-token';
import { POSTER_FILE, classifyMediaFile, type MediaFileKind } from './media/media-file-names.js';

/** A request for one file of one asset, with the token that should grant it. */
export interface StreamRequest {
  readonly token: string;
  readonly assetId: string;
  /** Path inside the asset folder, already checked against the whitelist. */
  readonly file: string;
  readonly kind: MediaFileKind;
}

export type StreamPathResult =
  { readonly ok: true; readonly request: StreamRequest } | { readonly ok: false; readonly code: 'NOT_FOUND' | 'BAD_STREAM_PATH' | 'MEDIA_FILE_NOT_FOUND' };

/** Prefix of every stream URL; the token comes right after it so relative playlist URIs inherit it. */
export const STREAM_PATH_PREFIX = '/s/';

/**
 * Only these characters can occur in a legitimate stream path, so anything else (`%`, `\`, NUL, spaces, `:`) is
 * refused rather than decoded: there is no decoding step for an attacker to play against.
 */
const SAFE_PATH = /^[A-Za-z0-9._/-]+$/;
const TOKEN = /^[A-Za-z0-9._-]+$/;

/**
 * Splits `/s/<token>/<assetId>/<file>` from the raw request target, strictly: no percent-decoding, no dot segments,
 * no empty segments, a valid asset id and a whitelisted file name. The query string is ignored.
 */
export function parseStreamPath(rawUrl: string): StreamPathResult {
  const query = rawUrl.indexOf('?');
  const pathname = query === -1 ? rawUrl : rawUrl.slice(0, query);
  if (!pathname.startsWith(STREAM_PATH_PREFIX)) return { ok: false, code: 'NOT_FOUND' };
  if (!SAFE_PATH.test(pathname)) return { ok: false, code: 'BAD_STREAM_PATH' };
  const parts = pathname.slice(STREAM_PATH_PREFIX.length).split('/');
  if (parts.length < 3 || parts.some((part) => part === '' || part === '.' || part === '..')) return { ok: false, code: 'BAD_STREAM_PATH' };
  const [token, assetId, ...rest] = parts as [string, string, ...string[]];
  if (token.length > MAX_STREAM_TOKEN_LENGTH || !TOKEN.test(token) || !isValidAssetId(assetId)) return { ok: false, code: 'BAD_STREAM_PATH' };
  const file = rest.join('/');
  const kind = classifyMediaFile(file);
  if (!kind) return { ok: false, code: 'MEDIA_FILE_NOT_FOUND' };
  return { ok: true, request: { token, assetId, file, kind } };
}

/** Prefix of poster URLs: `/p/<assetId>/poster.jpg`, public (no token). */
export const POSTER_PATH_PREFIX = '/p/';

/** Splits `/p/<assetId>/poster.jpg` strictly, like {@link parseStreamPath}; nothing but the poster is reachable. */
export function parsePosterPath(
  rawUrl: string,
):
  | { readonly ok: true; readonly assetId: string; readonly file: string }
  | { readonly ok: false; readonly code: 'NOT_FOUND' | 'BAD_STREAM_PATH' | 'MEDIA_FILE_NOT_FOUND' } {
  const query = rawUrl.indexOf('?');
  const pathname = query === -1 ? rawUrl : rawUrl.slice(0, query);
  if (!pathname.startsWith(POSTER_PATH_PREFIX)) return { ok: false, code: 'NOT_FOUND' };
  if (!SAFE_PATH.test(pathname)) return { ok: false, code: 'BAD_STREAM_PATH' };
  const parts = pathname.slice(POSTER_PATH_PREFIX.length).split('/');
  if (parts.length !== 2 || !isValidAssetId(parts[0] as string)) return { ok: false, code: 'BAD_STREAM_PATH' };
  if (parts[1] !== POSTER_FILE) return { ok: false, code: 'MEDIA_FILE_NOT_FOUND' };
  return { ok: true, assetId: parts[0] as string, file: POSTER_FILE };
}
