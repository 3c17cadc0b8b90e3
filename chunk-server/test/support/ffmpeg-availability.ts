import { findFfmpegTools, type FfmpegTools } from '../../src/media/ffmpeg-tools.js';

/**
 * The real ffmpeg for media tests, or undefined on a dev machine without it (the tests then skip, loudly). In CI
 * (`CI=true`) a missing ffmpeg fails the file instead: a green CI run must mean streaming was really tested.
 */
export async function ffmpegForTests(): Promise<FfmpegTools | undefined> {
  try {
    return await findFfmpegTools();
  } catch (error) {
    const ci = /^(1|true|yes)$/i.test(process.env.CI ?? '');
    if (ci) throw new Error(`CI=true but ffmpeg is unavailable, so streaming cannot be tested: ${(error as Error).message}`, { cause: error });
    console.warn(`\n*** SKIPPING chunk-server media tests: ${(error as Error).message} ***\n`);
    return undefined;
  }
}
