import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { composeSupergraph, supergraphPath } from './compose-supergraph.js';

const relative = path.relative(process.cwd(), supergraphPath);
const result = composeSupergraph();
if (!result.ok) {
  console.error('schema:check FAILED: the subgraphs do not compose:');
  for (const error of result.errors) console.error(`  - ${error}`);
  process.exit(1);
}
const committed = existsSync(supergraphPath) ? readFileSync(supergraphPath, 'utf8') : '';
if (committed !== result.supergraphSdl) {
  console.error(`schema:check FAILED: ${relative} is stale: it differs from the composition of the subgraphs' SDL.`);
  console.error('Run `npm run schema:compose` and commit the result.');
  process.exit(1);
}
console.log(`schema:check passed: subgraphs compose and ${relative} is current.`);
