import { spawn } from 'node:child_process';

/** Paths of the two binaries the media pipeline runs. */
export interface FfmpegTools {
  readonly ffmpeg: string;
  readonly ffprobe: string;
}

/**
 * Raised when ffmpeg or ffprobe cannot be run. The launcher treats the commands' matching exit code as "streaming
 * disabled" and carries on, so the message must say how to fix it.
 */
export class FfmpegNotFoundError extends Error {
  readonly code = 'FFMPEG_NOT_FOUND';
  constructor(readonly binary: string) {
    super(
      `ffmpeg not found: install it with \`apt-get install ffmpeg\` (macOS: \`brew install ffmpeg\`), ` +
        `or point FFMPEG_PATH / FFPROBE_PATH at the binaries (tried "${binary}")`,
    );
    this.name = 'FfmpegNotFoundError';
  }
}

/**
 * Finds ffmpeg and ffprobe (on PATH, or `FFMPEG_PATH`/`FFPROBE_PATH`) by running them, so a broken install is
 * caught before a long job starts rather than half-way through it.
 */
export async function findFfmpegTools(env: NodeJS.ProcessEnv = process.env): Promise<FfmpegTools> {
  const tools = { ffmpeg: env.FFMPEG_PATH || 'ffmpeg', ffprobe: env.FFPROBE_PATH || 'ffprobe' };
  for (const binary of [tools.ffmpeg, tools.ffprobe]) {
    if (!(await runs(binary))) throw new FfmpegNotFoundError(binary);
  }
  return tools;
}

function runs(binary: string): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(binary, ['-version'], { stdio: 'ignore' });
    child.once('error', () => resolve(false));
    child.once('exit', (code) => resolve(code === 0));
  });
}
