import { spawn } from 'node:child_process';

/** Raised when ffmpeg or ffprobe exits non-zero; carries the end of its error output, which names the cause. */
export class FfmpegFailedError extends Error {
  readonly code = 'FFMPEG_FAILED';
  constructor(
    readonly binary: string,
    readonly exitCode: number | null,
    readonly stderrTail: string,
  ) {
    super(`${binary} failed (exit ${exitCode ?? 'signal'}): ${stderrTail.trim() || 'no error output'}`);
    this.name = 'FfmpegFailedError';
  }
}

export interface RunFfmpegOptions {
  /** Length of the media being produced; with it, `onProgress` gets a 0..1 fraction. */
  readonly durationSeconds?: number;
  readonly onProgress?: (fraction: number) => void;
}

const STDERR_TAIL_BYTES = 4096;

/**
 * Runs ffmpeg without a shell (arguments are passed as an array, so file names are never interpreted) and reports
 * progress from its `-progress` output. Only the tail of stderr is kept: a long encode must not grow memory.
 */
export function runFfmpeg(ffmpeg: string, args: readonly string[], options: RunFfmpegOptions = {}): Promise<void> {
  const fullArgs = ['-hide_banner', '-nostdin', '-v', 'error', '-nostats', '-progress', 'pipe:1', '-y', ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpeg, fullArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let pending = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-STDERR_TAIL_BYTES);
    });
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        // out_time_us is the position reached in the output, in microseconds (ffmpeg also prints it as out_time_ms).
        const match = /^out_time_us=(\d+)/.exec(line);
        if (match && options.onProgress && options.durationSeconds) {
          options.onProgress(Math.min(1, Number(match[1]) / 1e6 / options.durationSeconds));
        }
      }
    });
    child.once('error', reject);
    child.once('close', (code) => {
      if (code === 0) resolve();
      else reject(new FfmpegFailedError('ffmpeg', code, stderr));
    });
  });
}

/** Runs a tool to completion and returns its stdout (ffprobe's JSON), failing with its stderr. */
export function runForOutput(binary: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-STDERR_TAIL_BYTES)));
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve(stdout) : reject(new FfmpegFailedError(binary, code, stderr))));
  });
}
