import { access } from 'node:fs/promises';
import { runFfmpeg, runForOutput } from './run-ffmpeg.js';

/** Fonts tried for the title, in order; Debian's `fonts-dejavu-core` provides the first. */
const FONT_CANDIDATES = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf',
  '/usr/share/fonts/TTF/DejaVuSans-Bold.ttf',
  '/System/Library/Fonts/Supplemental/Arial Bold.ttf',
];

export interface DemoSourceOptions {
  readonly output: string;
  readonly title: string;
  readonly durationSeconds: number;
  /** Picks the tone's pitch so demo assets are told apart by ear too. */
  readonly index: number;
  readonly onProgress?: (fraction: number) => void;
  /** Picture size, `1280x720` by default (so the ladder's 720p rung is not an upscale). */
  readonly size?: string;
}

/**
 * Renders a synthetic source movie: ffmpeg's moving test pattern, a sine tone and, when a font and the drawtext
 * filter are available, the title burnt in. No sample media has to be downloaded or committed.
 */
export async function renderDemoSource(ffmpeg: string, options: DemoSourceOptions): Promise<void> {
  const font = await findTitleFont(ffmpeg);
  const seconds = options.durationSeconds.toFixed(3);
  // The title is passed through drawtext's own quoting; it is ours (e.g. "Demo 2"), never user input.
  const title = options.title.replace(/[^A-Za-z0-9 ._-]/g, '');
  const filters = font
    ? `drawtext=fontfile='${font}':text='${title}':fontsize=h/12:fontcolor=white:box=1:boxcolor=black@0.6:boxborderw=12:x=(w-text_w)/2:y=h/8,` +
      `drawtext=fontfile='${font}':text='%{pts\\:hms}':fontsize=h/20:fontcolor=white:box=1:boxcolor=black@0.6:x=(w-text_w)/2:y=h-h/6`
    : 'null';
  await runFfmpeg(
    ffmpeg,
    [
      // 24 frames a second, as films are: a fifth fewer frames to encode than 30.
      '-f',
      'lavfi',
      '-i',
      `testsrc2=size=${options.size ?? '1280x720'}:rate=24:duration=${seconds}`,
      '-f',
      'lavfi',
      '-i',
      `sine=frequency=${330 + 110 * options.index}:sample_rate=48000:duration=${seconds}`,
      '-vf',
      filters,
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-crf',
      '18',
      '-pix_fmt',
      'yuv420p',
      '-c:a',
      'aac',
      '-b:a',
      '128k',
      '-shortest',
      '-f',
      'mp4',
      options.output,
    ],
    { durationSeconds: options.durationSeconds, ...(options.onProgress ? { onProgress: options.onProgress } : {}) },
  );
}

let drawtextAvailable: Promise<boolean> | undefined;

async function findTitleFont(ffmpeg: string): Promise<string | undefined> {
  drawtextAvailable ??= runForOutput(ffmpeg, ['-hide_banner', '-filters']).then(
    (list) => /\sdrawtext\s/.test(list),
    () => false,
  );
  if (!(await drawtextAvailable)) return undefined;
  for (const font of FONT_CANDIDATES) {
    if (
      await access(font).then(
        () => true,
        () => false,
      )
    )
      return font;
  }
  return undefined;
}
