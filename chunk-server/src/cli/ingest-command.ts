import path from 'node:path';
import { ingestAsset } from '../media/ingest-asset.js';
import { describeFfmpegTools, findFfmpegTools } from '../media/ffmpeg-tools.js';
import { defaultMediaRoot } from '../media-root.js';
import { ExitCode } from './exit-codes.js';
import { createProgressPrinter } from './progress-printer.js';
import { reportFailure } from './report-failure.js';

// npm run media:ingest -- <source> <assetId> [title]
const [source, assetId, title] = process.argv.slice(2);
if (!source || !assetId) {
  console.error('Usage: npm run media:ingest -- <source-video> <asset-id> [title]');
  console.error('Writes the HLS ladder, movie.mp4 and manifest.json to $MEDIA_ROOT/<asset-id> (default .data/media).');
  process.exit(ExitCode.USAGE);
}

const mediaRoot = path.resolve(process.env.MEDIA_ROOT || defaultMediaRoot);
const print = createProgressPrinter();
try {
  const tools = await findFfmpegTools();
  console.error(describeFfmpegTools(tools));
  const started = Date.now();
  const manifest = await ingestAsset({
    source: path.resolve(source),
    assetId,
    mediaRoot,
    tools,
    ...(title ? { title } : {}),
    onProgress: (progress) => print(progress.assetId, progress.stage, progress.fraction),
  });
  console.log(
    `Ingested "${manifest.assetId}" (${manifest.durationSeconds.toFixed(1)} s, ${manifest.renditions.map((r) => r.name).join(' + ')}, ` +
      `${Object.keys(manifest.files).length} files) into ${path.join(mediaRoot, assetId)} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
} catch (error) {
  process.exitCode = reportFailure(error);
}
