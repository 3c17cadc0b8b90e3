import { exitWithUsage } from '@cinema/kit/command-line';
import { DEMO_DURATION_SECONDS, generateDemoAssets } from '../media/demo-assets.js';
import { runMediaCommand } from './run-media-command.js';

// npm run media:demo [-- <count>]
const countArgument = process.argv[2] ?? '3';
const count = Number(countArgument);
if (!Number.isInteger(count) || count < 1 || count > 100) exitWithUsage('Usage: npm run media:demo [-- <count 1..100, default 3>]');

// Length of each demo movie: two minutes unless DEMO_VIDEO_SECONDS says otherwise (tests make 4-second ones).
const secondsText = process.env.DEMO_VIDEO_SECONDS?.trim() || String(DEMO_DURATION_SECONDS);
const durationSeconds = Number(secondsText);
if (!Number.isFinite(durationSeconds) || durationSeconds < 1 || durationSeconds > 3600) {
  exitWithUsage(`DEMO_VIDEO_SECONDS must be a number of seconds between 1 and 3600, got "${secondsText}"`);
}

await runMediaCommand(async ({ mediaRoot, tools, print, elapsed }) => {
  const created = await generateDemoAssets({
    mediaRoot,
    count,
    durationSeconds,
    tools,
    onProgress: (event) => {
      if (event.stage === 'skipped') console.log(`${event.assetId}: already there, skipped`);
      else print(event.assetId, event.stage, event.fraction);
    },
  });
  console.log(`${created.length} demo asset(s) created, ${count - created.length} already present, in ${mediaRoot} (${elapsed()})`);
});
