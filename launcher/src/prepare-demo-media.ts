import { spawn } from 'node:child_process';
import path from 'node:path';
import { assignDemoAssets, repoRoot } from '@cinema/data-tools';

/** Exit code of `media:demo` meaning "ffmpeg is not installed" (chunk-server/src/cli/exit-codes.ts). */
const FFMPEG_MISSING = 3;

export interface DemoMediaOptions {
  databaseUrl: string;
  mediaRoot: string;
  count: number;
  log: (line: string) => void;
  /** Aborting stops the generation (the whole process group, ffmpeg included). */
  signal?: AbortSignal;
}

/**
 * Makes the demo videos (first run only; existing ones are skipped) and assigns them to every movie that has no media,
 * so the whole catalogue can play. Runs `media:demo` as a child process so ffmpeg's work stays off the launcher's
 * event loop. Without ffmpeg it says how to get it and resolves: the rest of the platform runs, and `Movie.stream`
 * answers STREAM_NOT_AVAILABLE. Never rejects.
 */
export async function prepareDemoMedia({ databaseUrl, mediaRoot, count, log, signal }: DemoMediaOptions): Promise<void> {
  if (signal?.aborted) return;
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'chunk-server', 'src', 'cli', 'demo-command.ts'), String(count)], {
    env: { ...process.env, MEDIA_ROOT: mediaRoot },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so stopping it also stops the ffmpeg it runs.
    detached: true,
  });
  const stopGroup = () => {
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      // already gone
    }
  };
  signal?.addEventListener('abort', stopGroup, { once: true });
  const forward = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split(/\r?\n|\r/)) if (line.trim()) log(`media: ${line.trim()}`);
  };
  child.stdout.on('data', forward);
  child.stderr.on('data', forward);
  const code = await new Promise<number | null>((resolve) => {
    child.once('exit', (exitCode) => resolve(exitCode));
    child.once('error', () => resolve(null));
  });
  signal?.removeEventListener('abort', stopGroup);
  if (signal?.aborted) return;
  if (code === FFMPEG_MISSING) {
    log('media: streaming disabled: ffmpeg is not installed (Debian/Ubuntu: `apt-get install ffmpeg`); everything else runs');
    return;
  }
  if (code !== 0) {
    log(`media: demo videos could not be made (exit ${code}); streaming disabled`);
    return;
  }
  try {
    const assigned = await assignDemoAssets(
      databaseUrl,
      Array.from({ length: count }, (_, i) => `demo-${i + 1}`),
    );
    if (assigned > 0) log(`media: demo videos assigned to ${assigned} movies`);
  } catch (error) {
    log(`media: could not assign demo videos: ${error instanceof Error ? error.message : String(error)}`);
  }
}
