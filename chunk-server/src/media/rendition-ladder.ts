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
 * The renditions every asset is encoded to: a low rung for poor connections, standard definition, and 720p HD for
 * a desktop or TV. Three rungs keep the ingest affordable on a laptop (one pass, the picture decoded once); add
 * rungs here and every asset ingested afterwards gets them. A 2 s 720p segment is about 0.6 MB.
 */
export const RENDITION_LADDER: readonly RenditionSpec[] = [
  { name: '240p', height: 240, videoKbps: 400, audioKbps: 64 },
  { name: '480p', height: 480, videoKbps: 1000, audioKbps: 96 },
  { name: '720p', height: 720, videoKbps: 2500, audioKbps: 128 },
];

/** Target segment length. Short segments start playback and switch renditions sooner; ~2 s is Apple's low end. */
export const SEGMENT_SECONDS = 2;

/** The rendition the progressive `movie.mp4` is encoded like (for clients without HLS): standard definition. */
export const PROGRESSIVE_RENDITION: RenditionSpec = RENDITION_LADDER[1] as RenditionSpec;
