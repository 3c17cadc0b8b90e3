import { spawn } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

/** Where a binary was found: named by the environment, the system's own install on PATH, or the npm package. */
export type FfmpegSource = 'env' | 'system' | 'npm';

/** Paths of the two binaries the media pipeline runs. */
export interface FfmpegTools {
  readonly ffmpeg: string;
  readonly ffprobe: string;
  /** Where each came from, for the start-up log line ("ffmpeg from npm"). */
  readonly sources?: { readonly ffmpeg: FfmpegSource; readonly ffprobe: FfmpegSource };
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

/** npm packages that ship each binary inside the package itself (installed from the registry, no download step). */
const NPM_PACKAGES = { ffmpeg: '@ffmpeg-installer/ffmpeg', ffprobe: '@ffprobe-installer/ffprobe' } as const;
const ENV_VARIABLES = { ffmpeg: 'FFMPEG_PATH', ffprobe: 'FFPROBE_PATH' } as const;
const require = createRequire(import.meta.url);

/**
 * Finds ffmpeg and ffprobe, each by running it, so a broken install is caught before a long job starts rather than
 * half-way through it. In order: `FFMPEG_PATH`/`FFPROBE_PATH` when set (and nothing else: an explicit choice that
 * fails is an error, not a reason to guess), the system's binary on PATH (usually newer, and what an operator
 * installed on purpose), then the static build the npm dependencies ship, so `npm ci && npm start` streams on a
 * machine without ffmpeg.
 */
export async function findFfmpegTools(env: NodeJS.ProcessEnv = process.env): Promise<FfmpegTools> {
  const ffmpeg = await findBinary('ffmpeg', env);
  const ffprobe = await findBinary('ffprobe', env);
  return { ffmpeg: ffmpeg.path, ffprobe: ffprobe.path, sources: { ffmpeg: ffmpeg.source, ffprobe: ffprobe.source } };
}

/** One line saying which binaries a command runs, e.g. `ffmpeg: /usr/bin/ffmpeg (system)`. */
export function describeFfmpegTools(tools: FfmpegTools): string {
  const label = { env: 'FFMPEG_PATH/FFPROBE_PATH', system: 'system', npm: 'npm package' } as const;
  const one = (name: 'ffmpeg' | 'ffprobe') => `${name}: ${tools[name]}${tools.sources ? ` (${label[tools.sources[name]]})` : ''}`;
  return `${one('ffmpeg')}, ${one('ffprobe')}`;
}

async function findBinary(name: 'ffmpeg' | 'ffprobe', env: NodeJS.ProcessEnv): Promise<{ path: string; source: FfmpegSource }> {
  const explicit = env[ENV_VARIABLES[name]];
  if (explicit) {
    if (await runs(explicit, env)) return { path: explicit, source: 'env' };
    throw new FfmpegNotFoundError(explicit);
  }
  const system = await findOnPath(name, env.PATH ?? '');
  if (system && (await runs(system, env))) return { path: system, source: 'system' };
  const packaged = packagedBinary(name);
  if (packaged && (await runs(packaged, env))) return { path: packaged, source: 'npm' };
  throw new FfmpegNotFoundError(packaged ? `${name}" on PATH and "${packaged}` : name);
}

/**
 * The binary's path inside its npm package, or undefined when the package (or its build for this platform, an
 * optional dependency) is not installed: the packages throw on import then.
 */
function packagedBinary(name: 'ffmpeg' | 'ffprobe'): string | undefined {
  try {
    return (require(NPM_PACKAGES[name]) as { path: string }).path;
  } catch {
    return undefined;
  }
}

/** The first executable `name` on `PATH`, as an absolute path, so the log and every later spawn name one file. */
async function findOnPath(name: string, searchPath: string): Promise<string | undefined> {
  for (const dir of searchPath.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.resolve(dir, name);
    if (
      await access(candidate, constants.X_OK).then(
        () => true,
        () => false,
      )
    )
      return candidate;
  }
  return undefined;
}

function runs(binary: string, env: NodeJS.ProcessEnv): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(binary, ['-version'], { stdio: 'ignore', env });
    child.once('error', () => resolve(false));
    child.once('exit', (code) => resolve(code === 0));
  });
}
