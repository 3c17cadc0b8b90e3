import path from 'node:path';
import { allPassed } from './check-report.js';
import { configPath, schemaDir, supergraphPath } from './compose-supergraph.js';
import { runSchemaChecks } from './schema-checks.js';

// npm run schema:check — SCHEMA_BASE_REF=<revision> compares breaking changes with that revision instead.
const reports = await runSchemaChecks({
  root: path.resolve(schemaDir, '..'),
  configPath,
  supergraphPath,
  intentionalChangesPath: path.join(schemaDir, 'intentional-changes.json'),
  baseRef: process.env.SCHEMA_BASE_REF || undefined,
});
for (const report of reports) {
  const failed = report.problems.length > 0;
  console[failed ? 'error' : 'log'](`schema:check ${report.check}: ${failed ? 'FAILED' : 'passed'}`);
  for (const note of report.notes) console.log(`  - ${note}`);
  for (const problem of report.problems) console.error(`  ✗ ${problem}`);
}
process.exitCode = allPassed(reports) ? 0 : 1;
