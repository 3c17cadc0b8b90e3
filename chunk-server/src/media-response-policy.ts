import type { MediaFileKind } from './media/media-file-names.js';

/** How a kind of media file is labelled and cached. */
export interface MediaResponsePolicy {
  readonly contentType: string;
  readonly cacheControl: string;
}

/** Segments, init segments and the progressive file never change once ingested: browsers and CDNs may keep them. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/**
 * Playlists are cached briefly and privately: their URLs carry a per-user token, so shared caches would only fill
 * up, and a short lifetime lets a re-signed URL take effect quickly.
 */
const PLAYLIST = 'private, max-age=60';

const POLICIES: Record<MediaFileKind, MediaResponsePolicy> = {
  'master-playlist': { contentType: 'application/vnd.apple.mpegurl', cacheControl: PLAYLIST },
  'media-playlist': { contentType: 'application/vnd.apple.mpegurl', cacheControl: PLAYLIST },
  'init-segment': { contentType: 'video/mp4', cacheControl: IMMUTABLE },
  'media-segment': { contentType: 'video/iso.segment', cacheControl: IMMUTABLE },
  progressive: { contentType: 'video/mp4', cacheControl: IMMUTABLE },
  // Public and shared-cacheable: the URL carries no token. A day, since a re-ingested asset may get a new picture.
  poster: { contentType: 'image/jpeg', cacheControl: 'public, max-age=86400' },
};

/** Content-Type and Cache-Control for a whitelisted file kind. */
export function mediaResponsePolicy(kind: MediaFileKind): MediaResponsePolicy {
  return POLICIES[kind];
}
