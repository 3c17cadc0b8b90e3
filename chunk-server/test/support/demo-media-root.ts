import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateDemoAssets } from '../../src/media/demo-assets.js';
import type { FfmpegTools } from '../../src/media/ffmpeg-tools.js';

export interface DemoMediaRoot {
  readonly mediaRoot: string;
  readonly assetId: string;
  cleanup(): Promise<void>;
}

/** A temp media root holding one real, 4-second demo asset made by the production pipeline (two segments per rendition). */
export async function createDemoMediaRoot(tools: FfmpegTools): Promise<DemoMediaRoot> {
  const mediaRoot = await mkdtemp(path.join(tmpdir(), 'chunk-server-test-'));
  const [assetId] = await generateDemoAssets({ mediaRoot, count: 1, durationSeconds: 4, tools });
  if (!assetId) throw new Error('demo asset was not created');
  return { mediaRoot, assetId, cleanup: () => rm(mediaRoot, { recursive: true, force: true }) };
}
