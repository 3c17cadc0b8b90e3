import path from 'node:path';
import { generateDemoAssets } from '../media/demo-assets.js';
import { findFfmpegTools } from '../media/ffmpeg-tools.js';
import { defaultMediaRoot } from '../media-root.js';
import { ExitCode } from './exit-codes.js';
import { createProgressPrinter } from './progress-printer.js';
import { reportFailure } from './report-failure.js';

// npm run media:demo [-- <count>]
const countArgument = process.argv[2] ?? '3';
const count = Number(countArgument);
if (!Number.isInteger(count) || count < 1 || count > 100) {
  console.error('Usage: npm run media:demo [-- <count 1..100, default 3>]');
  process.exit(ExitCode.USAGE);
}

const mediaRoot = path.resolve(process.env.MEDIA_ROOT || defaultMediaRoot);
const print = createProgressPrinter();
try {
  const tools = await findFfmpegTools();
  const started = Date.now();
  const created = await generateDemoAssets({
    mediaRoot,
    count,
    tools,
    onProgress: (event) => {
      if (event.stage === 'skipped') console.log(`${event.assetId}: already there, skipped`);
      else print(event.assetId, event.stage, event.fraction);
    },
  });
  console.log(`${created.length} demo asset(s) created, ${count - created.length} already present, in ${mediaRoot} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
} catch (error) {
  process.exitCode = reportFailure(error);
}
