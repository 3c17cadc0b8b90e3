import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { CheckReport } from './check-report.js';
import { composeSupergraph } from './compose-supergraph.js';
import { firstDifference } from './first-difference.js';

export interface SupergraphFreshnessInput {
  /** The composition config (`supergraph.yaml`). */
  configPath: string;
  /** The committed composed supergraph. */
  supergraphPath: string;
}

/**
 * Composes the subgraphs and compares the result with the committed supergraph. The router serves the committed
 * file, so a subgraph SDL change that was not recomposed would ship a router that does not know the new fields.
 */
export function checkSupergraphFreshness(input: SupergraphFreshnessInput): CheckReport {
  const report: CheckReport = { check: 'composition', problems: [], notes: [] };
  const shown = path.relative(process.cwd(), input.supergraphPath) || input.supergraphPath;
  const result = composeSupergraph(input.configPath);
  if (!result.ok) {
    report.problems.push('the subgraphs do not compose:', ...result.errors.map((error) => `  ${error}`));
    return report;
  }
  if (!existsSync(input.supergraphPath)) {
    report.problems.push(`${shown} does not exist. Run \`npm run schema:compose\` and commit the result.`);
    return report;
  }
  const committed = readFileSync(input.supergraphPath, 'utf8');
  if (committed !== result.supergraphSdl) {
    report.problems.push(
      `${shown} is stale: it differs from the composition of the subgraphs' SDL (${firstDifference(committed, result.supergraphSdl, 'composed')}). ` +
        'Run `npm run schema:compose` and commit the result.',
    );
    return report;
  }
  report.notes.push(`the subgraphs compose and ${shown} is current`);
  return report;
}
