import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { GraphQLSchema } from 'graphql';
import { buildApiSchema } from './api-schema.js';
import { readBaselineSupergraph } from './baseline-supergraph.js';
import { checkBreakingChanges } from './breaking-change-check.js';
import type { CheckReport } from './check-report.js';
import { collectOperations } from './collect-operations.js';
import { loadIntentionalChanges } from './intentional-changes.js';
import { checkOperations } from './operation-check.js';
import { buildSubgraphSchemas } from './subgraph-schemas.js';
import { checkSupergraphFreshness } from './supergraph-freshness-check.js';

export interface SchemaCheckInput {
  /** Root scanned for operations; paths in messages are relative to it. */
  root: string;
  configPath: string;
  supergraphPath: string;
  intentionalChangesPath: string;
  /** See {@link readBaselineSupergraph}. */
  baseRef?: string | undefined;
}

/**
 * Runs every schema check on the given files: composition and freshness of the committed supergraph, breaking
 * changes against the supergraph it replaces, and validation of the repository's own operations. Each check runs
 * even when an earlier one fails, so one CI run reports everything there is to fix.
 */
export async function runSchemaChecks(input: SchemaCheckInput): Promise<CheckReport[]> {
  const reports = [checkSupergraphFreshness(input)];
  if (!existsSync(input.supergraphPath)) return reports;
  const supergraphSdl = readFileSync(input.supergraphPath, 'utf8');
  const declarationsFile = path.relative(input.root, input.intentionalChangesPath);
  try {
    reports.push(
      await checkBreakingChanges({
        baseline: readBaselineSupergraph(input.supergraphPath, { baseRef: input.baseRef }),
        currentSupergraphSdl: supergraphSdl,
        intentional: loadIntentionalChanges(input.intentionalChangesPath),
        declarationsFile,
      }),
    );
  } catch (error) {
    reports.push({ check: 'breaking changes', problems: [error instanceof Error ? error.message : String(error)], notes: [] });
  }
  reports.push(checkOperations({ api: buildApiSchema(supergraphSdl), subgraphs: subgraphSchemasOrNone(input.configPath) }, collectOperations(input.root)));
  return reports;
}

/** A subgraph SDL that does not build is reported by the composition check; its fetches then fail validation here. */
const subgraphSchemasOrNone = (configPath: string): Map<string, GraphQLSchema> => {
  try {
    return buildSubgraphSchemas(configPath);
  } catch {
    return new Map();
  }
};
