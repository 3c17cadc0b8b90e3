import { FfmpegNotFoundError } from '../media/ffmpeg-tools.js';
import { IngestError } from '../media/ingest-error.js';
import { ExitCode } from './exit-codes.js';

/** Prints a failure for a human and picks the exit code a supervisor can act on. */
export function reportFailure(error: unknown): number {
  if (error instanceof FfmpegNotFoundError) {
    console.error(error.message);
    console.error('Streaming stays disabled until ffmpeg is installed; the rest of the platform works without it.');
    return ExitCode.FFMPEG_MISSING;
  }
  if (error instanceof IngestError) {
    console.error(`${error.code}: ${error.message}`);
    return ExitCode.FAILED;
  }
  console.error(error instanceof Error ? error.message : error);
  return ExitCode.FAILED;
}
