/** One rung of the adaptive-bitrate ladder. */
export interface RenditionSpec {
  /** Folder name and label, e.g. `240p`; must match `RENDITION_NAME_PATTERN`. */
  readonly name: string;
  /** Output height; the width follows the source's aspect ratio (rounded to even). */
  readonly height: number;
  readonly videoKbps: number;
  readonly audioKbps: number;
}

/**
 * The renditions every asset is encoded to. Two rungs are enough for players to switch on a poor connection while
 * keeping ingest fast on a laptop; add rungs here and every asset ingested afterwards gets them.
 */
export const RENDITION_LADDER: readonly RenditionSpec[] = [
  { name: '240p', height: 240, videoKbps: 400, audioKbps: 64 },
  { name: '480p', height: 480, videoKbps: 1000, audioKbps: 96 },
];

/** Target segment length. Short segments start playback and switch renditions sooner; ~2 s is Apple's low end. */
export const SEGMENT_SECONDS = 2;

/** The rendition the progressive `movie.mp4` is encoded like (for clients without HLS). */
export const PROGRESSIVE_RENDITION: RenditionSpec = RENDITION_LADDER[RENDITION_LADDER.length - 1] as RenditionSpec;
