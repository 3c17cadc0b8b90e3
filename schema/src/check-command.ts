import path from 'node:path';
import { allPassed } from './check-report.js';
import { configPath, schemaDir, supergraphPath } from './compose-supergraph.js';
import { checkResolverTypesFreshness } from './resolver-types-freshness-check.js';
import { runSchemaChecks } from './schema-checks.js';

// npm run schema:check — SCHEMA_BASE_REF=<revision> compares breaking changes with that revision instead.
const root = path.resolve(schemaDir, '..');
const reports = await runSchemaChecks({
  root,
  configPath,
  supergraphPath,
  intentionalChangesPath: path.join(schemaDir, 'intentional-changes.json'),
  baseRef: process.env.SCHEMA_BASE_REF || undefined,
});
// Beside the supergraph checks, which their tests run on fixtures: this one always reads the real subgraphs.
reports.push(await checkResolverTypesFreshness({ root }));
for (const report of reports) {
  const failed = report.problems.length > 0;
  console[failed ? 'error' : 'log'](`schema:check ${report.check}: ${failed ? 'FAILED' : 'passed'}`);
  for (const note of report.notes) console.log(`  - ${note}`);
  for (const problem of report.problems) console.error(`  ✗ ${problem}`);
}
process.exitCode = allPassed(reports) ? 0 : 1;
