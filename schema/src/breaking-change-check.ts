import { CriticalityLevel, diff, type Change } from '@graphql-inspector/core';
import type { GraphQLSchema } from 'graphql';
import { buildApiSchema } from './api-schema.js';
import type { BaselineSupergraph } from './baseline-supergraph.js';
import type { CheckReport } from './check-report.js';
import { describeSchemaCoordinate } from './describe-schema-coordinate.js';
import type { IntentionalChange } from './intentional-changes.js';

export interface BreakingChangeInput {
  /** The supergraph the current one replaces, or why there is none. */
  baseline: BaselineSupergraph;
  currentSupergraphSdl: string;
  intentional: readonly IntentionalChange[];
  /** Where declarations go, named in the failure message. */
  declarationsFile: string;
}

/**
 * Diffs the client-visible API schema of the current supergraph against the one it replaces, with GraphQL
 * Inspector's rules. Breaking changes fail unless declared in the intentional-changes file, because a client built
 * against the old schema (an app in a store, a cached page) keeps sending the old operations after the deploy.
 */
export async function checkBreakingChanges(input: BreakingChangeInput): Promise<CheckReport> {
  const report: CheckReport = { check: 'breaking changes', problems: [], notes: [] };
  if (input.baseline.sdl === undefined) {
    report.notes.push(`not checked: ${input.baseline.reason}`);
    return report;
  }
  let before: GraphQLSchema;
  try {
    before = buildApiSchema(input.baseline.sdl);
  } catch (error) {
    report.notes.push(`not checked: the supergraph of ${input.baseline.label} does not build (${error instanceof Error ? error.message : String(error)})`);
    return report;
  }
  const after = buildApiSchema(input.currentSupergraphSdl);
  const changes = await diff(before, after);
  const breaking = changes.filter((change) => change.criticality.level === CriticalityLevel.Breaking);
  const used = new Set<IntentionalChange>();
  for (const change of breaking) {
    const declaration = input.intentional.find((d) => d.path === (change.path ?? '') && d.change === change.type);
    if (declaration) {
      used.add(declaration);
      report.notes.push(`declared breaking change ${describeChange(change, before, after)} — reason: ${declaration.reason}`);
    } else {
      report.problems.push(`undeclared breaking change ${describeChange(change, before, after)}`);
    }
  }
  for (const change of changes.filter((c) => c.criticality.level === CriticalityLevel.Dangerous)) {
    report.notes.push(`dangerous, not failing: ${describeChange(change, before, after)}`);
  }
  for (const declaration of input.intentional.filter((d) => !used.has(d))) {
    report.notes.push(
      `${input.declarationsFile}: ${declaration.change} at ${declaration.path} matches no change since ${input.baseline.label}; it can be removed`,
    );
  }
  if (report.problems.length > 0) {
    const example = breaking.find((c) => !input.intentional.some((d) => d.path === c.path && d.change === c.type));
    report.problems.push(
      `If a break is intended, declare it in ${input.declarationsFile} with a reason, e.g. ` +
        JSON.stringify({ path: example?.path ?? '', change: (example?.type as string | undefined) ?? '', reason: 'why clients may break' }),
    );
  }
  report.notes.unshift(`compared the API schema with ${input.baseline.label}: ${changes.length} change(s), ${breaking.length} breaking`);
  return report;
}

/** `Movie.year (FIELD_TYPE_CHANGED): Field 'Movie.year' changed type from 'Int' to 'String'. Movie.year: Int → Movie.year: String` */
function describeChange(change: Change, before: GraphQLSchema, after: GraphQLSchema): string {
  const where = change.path ?? '(schema)';
  const reason = change.criticality.reason ? ` ${change.criticality.reason}` : '';
  const oldNew = change.path ? ` Was: ${describeSchemaCoordinate(before, change.path)} → now: ${describeSchemaCoordinate(after, change.path)}.` : '';
  return `at ${where} (${change.type}): ${change.message}.${oldNew}${reason}`;
}
