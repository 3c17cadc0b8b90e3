import { USAGE_EXIT_CODE } from '@cinema/kit/command-line';

/**
 * Exit codes of the media commands. The launcher runs `media:demo` at start-up and reads `FFMPEG_MISSING` as
 * "streaming disabled, carry on", so these numbers are a contract.
 */
export const ExitCode = {
  OK: 0,
  FAILED: 1,
  USAGE: USAGE_EXIT_CODE,
  FFMPEG_MISSING: 3,
} as const;
