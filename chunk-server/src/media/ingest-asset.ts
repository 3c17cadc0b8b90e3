import { access, chmod, mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isValidAssetId } from '@cinema/kit/stream-token';
import { type AssetManifest, type ManifestFile, type ManifestRendition, MANIFEST_FILE_NAME, contentEtag } from './asset-manifest.js';
import { AAC_LC_CODEC_STRING, readAvcCodecString } from './avc-codec-string.js';
import { findFfmpegTools, type FfmpegTools } from './ffmpeg-tools.js';
import { digestFile } from './file-digest.js';
import { parseMediaPlaylist, renderMasterPlaylist, renderMediaPlaylist, targetDuration } from './hls-playlist.js';
import { IngestError } from './ingest-error.js';
import { ladderEncodeArguments } from './ladder-encode-arguments.js';
import { INIT_SEGMENT, MASTER_PLAYLIST, MEDIA_PLAYLIST, POSTER_FILE, PROGRESSIVE_FILE, classifyMediaFile, segmentFileName } from './media-file-names.js';
import { probeMedia } from './probe-media.js';
import { RENDITION_LADDER, type RenditionSpec } from './rendition-ladder.js';
import { renderPoster } from './render-poster.js';
import { runFfmpeg } from './run-ffmpeg.js';

/** Where an ingest is, for progress bars. `fraction` runs from 0 to 1 within each stage. */
export interface IngestProgress {
  readonly assetId: string;
  readonly stage: 'encoding' | 'packaging';
  readonly fraction: number;
}

export interface IngestAssetOptions {
  /** Any file ffmpeg can read. */
  readonly source: string;
  readonly assetId: string;
  readonly mediaRoot: string;
  readonly title?: string;
  /** Found on PATH when omitted. */
  readonly tools?: FfmpegTools;
  readonly onProgress?: (progress: IngestProgress) => void;
  /** Renditions to make; the standard {@link RENDITION_LADDER} by default (tests pass a tiny one to save CPU). */
  readonly ladder?: readonly RenditionSpec[];
  /** x264 preset of the ladder; `veryfast` by default. */
  readonly preset?: string;
}

/**
 * Turns a source video into a servable asset: the HLS ladder (fMP4 segments, one media playlist per rendition, a
 * master playlist), a progressive `movie.mp4`, and a `manifest.json` listing every file with its size and SHA-256.
 *
 * Everything is written into a hidden staging folder on the same disk and renamed into place at the end, so a
 * chunk server never sees a half-written asset and a failed ingest leaves nothing behind.
 *
 * @example
 * await ingestAsset({ source: 'trailer.mov', assetId: 'trailer-42', mediaRoot: '/srv/media' });
 */
export async function ingestAsset(options: IngestAssetOptions): Promise<AssetManifest> {
  const { assetId, mediaRoot } = options;
  if (!isValidAssetId(assetId)) {
    throw new IngestError('ASSET_ID_INVALID', `Asset id "${assetId}" must be lower-case letters, digits, "-" or "_" (at most 64)`);
  }
  const finalDir = path.join(mediaRoot, assetId);
  if (await exists(finalDir)) throw new IngestError('ASSET_EXISTS', `Asset "${assetId}" already exists in ${mediaRoot}; delete its folder to ingest again`);
  if (!(await exists(options.source))) throw new IngestError('SOURCE_UNREADABLE', `Source file not found: ${options.source}`);

  const tools = options.tools ?? (await findFfmpegTools());
  const probe = await probeMedia(tools.ffprobe, options.source).catch((error: unknown) => {
    throw new IngestError('SOURCE_UNREADABLE', `ffprobe cannot read ${options.source}: ${(error as Error).message}`);
  });
  if (!probe.video) throw new IngestError('SOURCE_HAS_NO_VIDEO', `${options.source} has no video stream`);

  const ladder = options.ladder ?? RENDITION_LADDER;
  await mkdir(mediaRoot, { recursive: true });
  const staging = await mkdtemp(path.join(mediaRoot, `.ingest-${assetId}-`));
  try {
    const report = (stage: IngestProgress['stage'], fraction: number) => options.onProgress?.({ assetId, stage, fraction });
    report('encoding', 0);
    await runFfmpeg(
      tools.ffmpeg,
      ladderEncodeArguments({
        source: options.source,
        outputDir: staging,
        sourceHasAudio: probe.hasAudio,
        durationSeconds: probe.durationSeconds,
        ladder,
        ...(options.preset ? { preset: options.preset } : {}),
      }),
      { ...(probe.durationSeconds !== undefined ? { durationSeconds: probe.durationSeconds } : {}), onProgress: (fraction) => report('encoding', fraction) },
    );
    report('encoding', 1);

    const files: Record<string, ManifestFile> = {};
    const renditions: ManifestRendition[] = [];
    for (const [index, rung] of ladder.entries()) {
      // ffmpeg writes each variant under its index (see ladderEncodeArguments); the asset names it.
      await rename(path.join(staging, String(index)), path.join(staging, rung.name));
      renditions.push(await packageRendition(staging, rung.name, tools, files));
      report('packaging', (index + 1) / (ladder.length + 1));
    }
    await writeFile(path.join(staging, MASTER_PLAYLIST), renderMasterPlaylist(renditions));
    await renderPoster(tools.ffmpeg, { source: options.source, output: path.join(staging, POSTER_FILE), durationSeconds: probe.durationSeconds });
    for (const name of [MASTER_PLAYLIST, PROGRESSIVE_FILE, POSTER_FILE]) files[name] = await describeFile(path.join(staging, name));

    const durationSeconds = renditions[0]?.segments.reduce((sum, segment) => sum + segment.durationSeconds, 0) ?? 0;
    const manifest: AssetManifest = {
      schemaVersion: 1,
      assetId,
      title: options.title ?? assetId,
      durationSeconds: Math.round(durationSeconds * 1000) / 1000,
      ingestedAt: new Date(Math.floor(Date.now() / 1000) * 1000).toISOString(),
      renditions,
      files,
    };
    await writeFile(path.join(staging, MANIFEST_FILE_NAME), `${JSON.stringify(manifest, null, 2)}\n`);
    // mkdtemp makes the folder private; servers running as another user (nginx, a service account) must read it.
    await chmod(staging, 0o755);
    try {
      await rename(staging, finalDir);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOTEMPTY' || code === 'EEXIST') throw new IngestError('ASSET_EXISTS', `Asset "${assetId}" was created by someone else meanwhile`);
      throw error;
    }
    report('packaging', 1);
    return manifest;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/**
 * Gives ffmpeg's output for one rendition the whitelisted names (its init segment becomes `init.mp4`), rewrites the
 * media playlist in our canonical form, and measures what the master playlist must declare.
 */
async function packageRendition(staging: string, name: string, tools: FfmpegTools, files: Record<string, ManifestFile>): Promise<ManifestRendition> {
  const dir = path.join(staging, name);
  const written = parseMediaPlaylist(await readFile(path.join(dir, MEDIA_PLAYLIST), 'utf8'));
  if (!written.mapUri || written.segments.length === 0) throw new IngestError('ENCODING_INCOMPLETE', `ffmpeg wrote no segments for ${name}`);
  if (written.mapUri !== INIT_SEGMENT) await rename(path.join(dir, written.mapUri), path.join(dir, INIT_SEGMENT));

  const segments = [];
  let totalBits = 0;
  let totalSeconds = 0;
  let peak = 0;
  for (const [index, segment] of written.segments.entries()) {
    const file = segmentFileName(index);
    if (segment.uri !== file) await rename(path.join(dir, segment.uri), path.join(dir, file));
    const described = await describeFile(path.join(dir, file));
    files[`${name}/${file}`] = described;
    const bits = described.size * 8;
    totalBits += bits;
    totalSeconds += segment.durationSeconds;
    peak = Math.max(peak, bits / segment.durationSeconds);
    segments.push({ file, durationSeconds: segment.durationSeconds });
  }

  const initPath = path.join(dir, INIT_SEGMENT);
  const avc = readAvcCodecString(await readFile(initPath));
  const picture = (await probeMedia(tools.ffprobe, initPath)).video;
  if (!avc || !picture) throw new IngestError('ENCODING_INCOMPLETE', `Cannot read the H.264 configuration of ${name}/${INIT_SEGMENT}`);
  const rendition: ManifestRendition = {
    name,
    width: picture.width,
    height: picture.height,
    bandwidth: Math.ceil(peak),
    averageBandwidth: Math.ceil(totalBits / totalSeconds),
    codecs: `${avc},${AAC_LC_CODEC_STRING}`,
    targetDurationSeconds: targetDuration(segments),
    segments,
  };
  await writeFile(path.join(dir, MEDIA_PLAYLIST), renderMediaPlaylist(rendition));
  files[`${name}/${INIT_SEGMENT}`] = await describeFile(initPath);
  files[`${name}/${MEDIA_PLAYLIST}`] = await describeFile(path.join(dir, MEDIA_PLAYLIST));

  // Anything ffmpeg left that the whitelist would not serve must not end up in the asset.
  for (const entry of await readdir(dir)) {
    if (!classifyMediaFile(`${name}/${entry}`) || !files[`${name}/${entry}`]) await rm(path.join(dir, entry), { force: true });
  }
  return rendition;
}

async function describeFile(file: string): Promise<ManifestFile> {
  const { size, sha256 } = await digestFile(file);
  return { size, sha256, etag: contentEtag(size, sha256) };
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}
