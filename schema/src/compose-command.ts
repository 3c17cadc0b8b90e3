import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { composeSupergraph, supergraphPath } from './compose-supergraph.js';

const result = composeSupergraph();
if (!result.ok) {
  console.error('Composition failed:');
  for (const error of result.errors) console.error(`  - ${error}`);
  process.exit(1);
}
writeFileSync(supergraphPath, result.supergraphSdl);
console.log(`Wrote ${path.relative(process.cwd(), supergraphPath)}`);
