import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAssetManifest, type AssetManifest } from '../src/media/asset-manifest.js';
import { digestFile } from '../src/media/file-digest.js';
import { ingestAsset } from '../src/media/ingest-asset.js';
import { IngestError } from '../src/media/ingest-error.js';
import { classifyMediaFile } from '../src/media/media-file-names.js';
import { ffmpegForTests } from './support/ffmpeg-availability.js';
import { createDemoMediaRoot, type DemoMediaRoot } from './support/demo-media-root.js';

const tools = await ffmpegForTests();

describe.skipIf(!tools)('ingestAsset', () => {
  let media: DemoMediaRoot;
  let manifest: AssetManifest;
  beforeAll(async () => {
    media = await createDemoMediaRoot(tools!);
    manifest = await readAssetManifest(path.join(media.mediaRoot, media.assetId));
  });
  afterAll(async () => {
    await media?.cleanup();
  });

  it('writes only whitelisted files, each listed in the manifest with its true size and SHA-256', async () => {
    const assetDir = path.join(media.mediaRoot, media.assetId);
    const onDisk = (await readdir(assetDir, { recursive: true, withFileTypes: true }))
      .filter((entry) => entry.isFile())
      .map((entry) => path.relative(assetDir, path.join(entry.parentPath, entry.name)))
      .filter((file) => file !== 'manifest.json')
      .sort();
    expect(onDisk).toEqual(Object.keys(manifest.files).sort());
    for (const file of onDisk) {
      expect(classifyMediaFile(file), file).toBeDefined();
      const { size, sha256 } = await digestFile(path.join(assetDir, file));
      expect(manifest.files[file]).toMatchObject({ size, sha256 });
    }
  });

  it('records 240p, 480p and 720p renditions of ~2 s segments with a measured bandwidth, and a poster', () => {
    expect(manifest.renditions.map((rendition) => [rendition.name, rendition.height])).toEqual([
      ['240p', 240],
      ['480p', 480],
      ['720p', 720],
    ]);
    expect(manifest.files['poster.jpg']?.size).toBeGreaterThan(1000);
    for (const rendition of manifest.renditions) {
      expect(rendition.segments.map((segment) => segment.durationSeconds)).toEqual([2, 2]);
      expect(rendition.bandwidth).toBeGreaterThanOrEqual(rendition.averageBandwidth);
      expect(rendition.codecs).toMatch(/^avc1\.4d[0-9a-f]{4},mp4a\.40\.2$/);
    }
    expect(manifest.durationSeconds).toBeCloseTo(4, 1);
    expect(manifest.title).toBe('Demo 1');
  });

  it('refuses invalid asset ids and existing assets, leaving no staging folder behind', async () => {
    await expect(ingestAsset({ source: '/dev/null', assetId: '../evil', mediaRoot: media.mediaRoot, tools: tools! })).rejects.toMatchObject({
      code: 'ASSET_ID_INVALID',
    });
    await expect(ingestAsset({ source: '/dev/null', assetId: media.assetId, mediaRoot: media.mediaRoot, tools: tools! })).rejects.toBeInstanceOf(IngestError);
    await expect(ingestAsset({ source: '/dev/null', assetId: 'fresh', mediaRoot: media.mediaRoot, tools: tools! })).rejects.toMatchObject({
      code: 'SOURCE_UNREADABLE',
    });
    expect((await readdir(media.mediaRoot)).filter((entry) => entry.startsWith('.'))).toEqual([]);
  });
});
