/**
 * The only files an asset folder may serve. The chunk server refuses every other name before touching the disk, and
 * the ingest writes exactly these, so the whitelist and the pipeline cannot drift apart.
 */
export const MASTER_PLAYLIST = 'master.m3u8';
export const PROGRESSIVE_FILE = 'movie.mp4';
export const MEDIA_PLAYLIST = 'index.m3u8';
export const INIT_SEGMENT = 'init.mp4';
/** A still picture of the movie, served without a token at `/p/<assetId>/poster.jpg` (the graph's `posterUrl`). */
export const POSTER_FILE = 'poster.jpg';

/** Name of the n-th (0-based) segment of a rendition. */
export function segmentFileName(index: number): string {
  return `seg_${index}.m4s`;
}

/** What a servable file is; decides its content type and caching. */
export type MediaFileKind = 'master-playlist' | 'media-playlist' | 'init-segment' | 'media-segment' | 'progressive' | 'poster';

/** Rendition folders are named after their height: `240p`, `480p`, `1080p`. */
export const RENDITION_NAME_PATTERN = /^[1-9][0-9]{2,3}p$/;

const RENDITION_FILE = /^([1-9][0-9]{2,3}p)\/(index\.m3u8|init\.mp4|seg_(?:0|[1-9][0-9]{0,5})\.m4s)$/;

/**
 * Classifies a path relative to an asset folder, or returns undefined if it is not one the whitelist allows:
 * `master.m3u8`, `movie.mp4`, `poster.jpg`, `<rendition>/index.m3u8`, `<rendition>/init.mp4`, `<rendition>/seg_<n>.m4s`.
 */
export function classifyMediaFile(relativePath: string): MediaFileKind | undefined {
  if (relativePath === MASTER_PLAYLIST) return 'master-playlist';
  if (relativePath === PROGRESSIVE_FILE) return 'progressive';
  if (relativePath === POSTER_FILE) return 'poster';
  const match = RENDITION_FILE.exec(relativePath);
  if (!match) return undefined;
  const file = match[2] as string;
  if (file === MEDIA_PLAYLIST) return 'media-playlist';
  if (file === INIT_SEGMENT) return 'init-segment';
  return 'media-segment';
}
