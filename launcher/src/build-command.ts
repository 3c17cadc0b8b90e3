/**
 * `npm run build`: the production build of every service (see `buildServices`). `NODE_ENV=production npm start`
 * and the container images run its output; development (`npm start`, `npm run dev`, the tests) runs the sources.
 */
import path from 'node:path';
import { repoRoot } from '@cinema/data-tools';
import { buildServices } from './build-services.js';

const started = performance.now();
const built = await buildServices();
for (const { output, bytes, inputs } of built)
  console.log(`[build] ${path.relative(repoRoot, output).padEnd(44)} ${(bytes / 1024).toFixed(0).padStart(5)} KiB from ${inputs} source files`);
console.log(`[build] ${built.length} entry points in ${((performance.now() - started) / 1000).toFixed(1)} s`);
