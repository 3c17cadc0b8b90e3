import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { generate } from '@graphql-codegen/cli';
import type { CheckReport } from './check-report.js';
import { firstDifference } from './first-difference.js';
import { resolverTypesCodegenConfig, SUBGRAPH_RESOLVER_TYPES } from './resolver-types-codegen.js';

export interface ResolverTypesFreshnessInput {
  /** Repository root: the subgraphs' SDL and generated files are read under it. */
  root: string;
  /** Subgraphs to check; all of them by default. */
  subgraphs?: readonly string[];
}

interface GeneratedFile {
  filename: string;
  content: string;
}

/**
 * Runs the resolver types generator in memory and compares its output with the committed
 * `subgraphs/<name>/src/generated/resolvers-types.ts`. The resolvers compile against the committed files, so an SDL
 * change that was not regenerated would let them drift from the schema the subgraph serves, unseen by the compiler.
 */
export async function checkResolverTypesFreshness(input: ResolverTypesFreshnessInput): Promise<CheckReport> {
  const report: CheckReport = { check: 'resolver types', problems: [], notes: [] };
  for (const subgraph of subgraphsWithSdl(input.root)) {
    if (!(subgraph in SUBGRAPH_RESOLVER_TYPES)) {
      report.problems.push(
        `subgraphs/${subgraph} has an SDL but no resolver types: add it to SUBGRAPH_RESOLVER_TYPES in schema/src/resolver-types-codegen.ts, ` +
          'run `npm run codegen` and commit the result.',
      );
    }
  }
  let outputs: GeneratedFile[];
  try {
    // `generate` is typed `any` by @graphql-codegen/cli; with `saveOutput` false it resolves to the files it made.
    const generated: unknown = await generate({ ...resolverTypesCodegenConfig(input.root, input.subgraphs), cwd: input.root }, false);
    outputs = generated as GeneratedFile[];
  } catch (error) {
    report.problems.push(`GraphQL Code Generator failed on the subgraphs' SDL: ${error instanceof Error ? error.message : String(error)}`);
    return report;
  }
  for (const output of outputs) {
    const shown = path.relative(input.root, output.filename);
    if (!existsSync(output.filename)) {
      report.problems.push(`${shown} does not exist. Run \`npm run codegen\` and commit the result.`);
      continue;
    }
    const committed = readFileSync(output.filename, 'utf8');
    if (committed !== output.content) {
      report.problems.push(
        `${shown} is stale: it differs from what GraphQL Code Generator writes from the subgraph's SDL ` +
          `(${firstDifference(committed, output.content, 'generated')}). Run \`npm run codegen\` and commit the result.`,
      );
    }
  }
  if (report.problems.length === 0) report.notes.push(`the resolver types of ${outputs.length} subgraphs are current`);
  return report;
}

/** Folders under `subgraphs/` with a `src/schema.graphql`: every one of them serves resolvers that need types. */
const subgraphsWithSdl = (root: string): string[] => {
  const folder = path.join(root, 'subgraphs');
  if (!existsSync(folder)) return [];
  return readdirSync(folder).filter((name) => existsSync(path.join(folder, name, 'src', 'schema.graphql')));
};
