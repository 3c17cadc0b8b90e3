import path from 'node:path';
import { exitWithUsage } from '@cinema/kit/command-line';
import { describeFfmpegTools } from '../media/ffmpeg-tools.js';
import { ingestAsset } from '../media/ingest-asset.js';
import { runMediaCommand } from './run-media-command.js';

// npm run media:ingest -- <source> <assetId> [title]
const [source, assetId, title] = process.argv.slice(2);
if (!source || !assetId) {
  exitWithUsage(
    'Usage: npm run media:ingest -- <source-video> <asset-id> [title]',
    'Writes the HLS ladder, movie.mp4 and manifest.json to $MEDIA_ROOT/<asset-id> (default .data/media).',
  );
}

await runMediaCommand(async ({ mediaRoot, tools, print, elapsed }) => {
  console.error(describeFfmpegTools(tools));
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
      `${Object.keys(manifest.files).length} files) into ${path.join(mediaRoot, assetId)} in ${elapsed()}`,
  );
});
