import type { ManifestRendition } from './asset-manifest.js';
import { INIT_SEGMENT, MEDIA_PLAYLIST } from './media-file-names.js';

/** A segment as ffmpeg listed it. */
export interface PlaylistSegment {
  readonly uri: string;
  readonly durationSeconds: number;
}

/** Reads the segments (EXTINF + URI) and the init segment (EXT-X-MAP) of a media playlist ffmpeg wrote. */
export function parseMediaPlaylist(text: string): { segments: PlaylistSegment[]; mapUri: string | undefined } {
  const segments: PlaylistSegment[] = [];
  let mapUri: string | undefined;
  let duration: number | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '') continue;
    if (line.startsWith('#EXTINF:')) duration = Number.parseFloat(line.slice('#EXTINF:'.length));
    else if (line.startsWith('#EXT-X-MAP:')) mapUri = /URI="([^"]+)"/.exec(line)?.[1];
    else if (!line.startsWith('#') && duration !== undefined) {
      segments.push({ uri: line, durationSeconds: duration });
      duration = undefined;
    }
  }
  return { segments, mapUri };
}

/**
 * EXT-X-TARGETDURATION per RFC 8216 §4.3.3.1: every EXTINF, rounded to the nearest integer, must not exceed it.
 */
export function targetDuration(segments: readonly { durationSeconds: number }[]): number {
  return Math.max(1, ...segments.map((segment) => Math.round(segment.durationSeconds)));
}

/**
 * A VOD media playlist (RFC 8216) with fMP4 segments. Version 7 covers EXT-X-MAP without I-frames-only; URIs are
 * relative so that the signed token in the playlist's path carries over to every segment request.
 */
export function renderMediaPlaylist(rendition: ManifestRendition): string {
  const lines = [
    '#EXTM3U',
    '#EXT-X-VERSION:7',
    `#EXT-X-TARGETDURATION:${rendition.targetDurationSeconds}`,
    '#EXT-X-MEDIA-SEQUENCE:0',
    '#EXT-X-PLAYLIST-TYPE:VOD',
    '#EXT-X-INDEPENDENT-SEGMENTS',
    `#EXT-X-MAP:URI="${INIT_SEGMENT}"`,
  ];
  for (const segment of rendition.segments) lines.push(`#EXTINF:${segment.durationSeconds.toFixed(6)},`, segment.file);
  lines.push('#EXT-X-ENDLIST');
  return `${lines.join('\n')}\n`;
}

/**
 * The master playlist: one EXT-X-STREAM-INF per rendition, lowest bandwidth first, relative URIs.
 *
 * With `backupPrefixes` (absolute URLs ending in `/`, each the same asset on another chunk server), every variant is
 * listed again under each prefix with identical attributes: HLS *redundant variant streams* (RFC 8216 §6.2.4 and
 * Apple's authoring guidelines). A player that cannot load a variant from the first server moves to the same
 * variant on the next one at the same position in the movie; hls.js calls these groups pathways `.`, `..`, ...
 * All primary variants come first, so players start on the server that handed out the master playlist.
 */
export function renderMasterPlaylist(renditions: readonly ManifestRendition[], backupPrefixes: readonly string[] = []): string {
  const lines = ['#EXTM3U', '#EXT-X-VERSION:7', '#EXT-X-INDEPENDENT-SEGMENTS'];
  const sorted = [...renditions].sort((a, b) => a.bandwidth - b.bandwidth);
  for (const prefix of ['', ...backupPrefixes]) {
    for (const rendition of sorted) {
      lines.push(
        `#EXT-X-STREAM-INF:BANDWIDTH=${rendition.bandwidth},AVERAGE-BANDWIDTH=${rendition.averageBandwidth},` +
          `RESOLUTION=${rendition.width}x${rendition.height},CODECS="${rendition.codecs}"`,
        `${prefix}${rendition.name}/${MEDIA_PLAYLIST}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
