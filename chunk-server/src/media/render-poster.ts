import { runFfmpeg } from './run-ffmpeg.js';

export interface PosterOptions {
  readonly source: string;
  readonly output: string;
  /** Length of the source, when known: the picture is taken a fifth of the way in, past any opening black. */
  readonly durationSeconds: number | undefined;
}

/** Width of posters; the height follows the source's aspect ratio. Large enough for a catalogue tile, a few tens of KB. */
const POSTER_WIDTH = 640;

/**
 * Extracts one still of the movie as a JPEG: the picture the graph's `posterUrl` shows for a movie with no poster
 * of its own. Taken a fifth of the way in (or at 1 s when the length is unknown), a decent quality (`-q:v 4`).
 */
export async function renderPoster(ffmpeg: string, options: PosterOptions): Promise<void> {
  const at = options.durationSeconds !== undefined ? Math.min(options.durationSeconds / 5, 60) : 1;
  await runFfmpeg(ffmpeg, [
    '-ss',
    at.toFixed(3),
    '-i',
    options.source,
    '-frames:v',
    '1',
    '-vf',
    `scale=${POSTER_WIDTH}:-2`,
    '-q:v',
    '4',
    '-f',
    'image2',
    options.output,
  ]);
}
