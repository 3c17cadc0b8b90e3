import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MANIFEST_FILE_NAME } from './asset-manifest.js';
import { findFfmpegTools, type FfmpegTools } from './ffmpeg-tools.js';
import { ingestAsset, type IngestProgress } from './ingest-asset.js';
import { renderDemoSource } from './render-demo-source.js';
import type { RenditionSpec } from './rendition-ladder.js';

/** Two minutes: long enough to watch a rendition switch, a seek, or a chunk server dying mid-film. */
export const DEMO_DURATION_SECONDS = 120;

export interface DemoAssetsOptions {
  readonly mediaRoot: string;
  /** Assets `demo-1` .. `demo-<count>`. */
  readonly count: number;
  /** Length of each demo movie; {@link DEMO_DURATION_SECONDS} by default. */
  readonly durationSeconds?: number;
  /** Source picture size (`1280x720` by default); tests pass a small one with a small ladder. */
  readonly size?: string;
  /** Renditions; the standard ladder by default. */
  readonly ladder?: readonly RenditionSpec[];
  /** x264 preset of the ladder (`superfast` by default). */
  readonly preset?: string;
  readonly tools?: FfmpegTools;
  readonly onProgress?: (event: DemoProgress) => void;
}

/** Progress of one demo asset: rendering its source, then the ingest stages, or skipped because it exists. */
export type DemoProgress =
  | { readonly assetId: string; readonly stage: 'rendering-source'; readonly fraction: number }
  | IngestProgress
  | { readonly assetId: string; readonly stage: 'skipped' };

/** The ids demo assets get, shared with tests and the launcher. */
export function demoAssetId(index: number): string {
  return `demo-${index}`;
}

/**
 * Makes synthetic movies (two minutes of a moving test pattern with a tone, title and clock) and ingests them, so that a fresh checkout has something to play without
 * downloading media. Existing assets are skipped, so running it again is cheap and never rewrites what replicas serve.
 *
 * @returns the ids of the assets created this time
 */
export async function generateDemoAssets(options: DemoAssetsOptions): Promise<string[]> {
  const tools = options.tools ?? (await findFfmpegTools());
  const durationSeconds = options.durationSeconds ?? DEMO_DURATION_SECONDS;
  const created: string[] = [];
  const workDir = await mkdtemp(path.join(tmpdir(), 'cinema-demo-'));
  try {
    for (let index = 1; index <= options.count; index += 1) {
      const assetId = demoAssetId(index);
      const present = await access(path.join(options.mediaRoot, assetId, MANIFEST_FILE_NAME)).then(
        () => true,
        () => false,
      );
      if (present) {
        options.onProgress?.({ assetId, stage: 'skipped' });
        continue;
      }
      const source = path.join(workDir, `${assetId}.mp4`);
      await renderDemoSource(tools.ffmpeg, {
        output: source,
        title: `Demo ${index}`,
        durationSeconds,
        index,
        ...(options.size ? { size: options.size } : {}),
        onProgress: (fraction) => options.onProgress?.({ assetId, stage: 'rendering-source', fraction }),
      });
      await ingestAsset({
        source,
        assetId,
        mediaRoot: options.mediaRoot,
        title: `Demo ${index}`,
        tools,
        ...(options.ladder ? { ladder: options.ladder } : {}),
        // A test pattern needs no encoder effort: `superfast` costs about half of `veryfast`'s CPU.
        preset: options.preset ?? 'superfast',
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      });
      await rm(source, { force: true });
      created.push(assetId);
    }
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
  return created;
}
