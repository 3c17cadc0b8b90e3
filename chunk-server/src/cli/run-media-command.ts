import path from 'node:path';
import { findFfmpegTools, type FfmpegTools } from '../media/ffmpeg-tools.js';
import { defaultMediaRoot } from '../media-root.js';
import { createProgressPrinter } from './progress-printer.js';
import { reportFailure } from './report-failure.js';

export interface MediaCommandContext {
  /** `MEDIA_ROOT`, else the repository's `.data/media`, as an absolute path. */
  mediaRoot: string;
  tools: FfmpegTools;
  /** Prints a progress line (see `createProgressPrinter`). */
  print: (label: string, stage: string, fraction: number) => void;
  /** Time since ffmpeg was found, e.g. `12.3 s`, for the closing line. */
  elapsed: () => string;
}

/**
 * The shared part of the media commands: find ffmpeg, run the work, and turn a failure into a message and the exit
 * code the launcher acts on (`FFMPEG_MISSING` means "streaming disabled, carry on").
 */
export async function runMediaCommand(work: (context: MediaCommandContext) => Promise<void>): Promise<void> {
  const mediaRoot = path.resolve(process.env.MEDIA_ROOT || defaultMediaRoot);
  const print = createProgressPrinter();
  try {
    const tools = await findFfmpegTools();
    const started = Date.now();
    await work({ mediaRoot, tools, print, elapsed: () => `${((Date.now() - started) / 1000).toFixed(1)} s` });
  } catch (error) {
    process.exitCode = reportFailure(error);
  }
}
