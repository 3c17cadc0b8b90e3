import { generateDemoAssets } from '../../chunk-server/src/media/demo-assets.js';
import type { RenditionSpec } from '../../chunk-server/src/media/rendition-ladder.js';

/**
 * A cheap ladder for tests: two small rungs instead of 240p/480p/720p. The upper rung doubles as the progressive
 * `movie.mp4`, at a bit rate high enough (≈ 11 MB a minute) that a client reading it slowly keeps its response open
 * past what loopback sockets buffer (about 4 MB), which the load test relies on.
 */
export const SMALL_TEST_LADDER: readonly RenditionSpec[] = [
  { name: '180p', height: 180, videoKbps: 300, audioKbps: 64 },
  { name: '360p', height: 360, videoKbps: 1500, audioKbps: 96 },
];

/**
 * Makes `demo-1` .. `demo-<count>` in `mediaRoot` with the production pipeline but small pictures and the fastest
 * preset, long enough (60 s) for a player to be mid-film when a test kills its server. Existing assets are kept,
 * so a second run costs nothing; the launcher then finds them and skips its own (two-minute, 720p) generation.
 */
export async function ensureSmallDemoMedia(mediaRoot: string, count: number): Promise<void> {
  await generateDemoAssets({ mediaRoot, count, durationSeconds: 60, size: '640x360', ladder: SMALL_TEST_LADDER, preset: 'ultrafast' });
}
