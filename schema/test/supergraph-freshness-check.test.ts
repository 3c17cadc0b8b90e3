import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkSupergraphFreshness } from '../src/supergraph-freshness-check.js';
import { createTempSchemaWorkspace, type TempSchemaWorkspace } from './support/temp-schema-workspace.js';

let workspace: TempSchemaWorkspace;
beforeEach(() => {
  workspace = createTempSchemaWorkspace();
});
afterEach(() => workspace.remove());

describe('checkSupergraphFreshness', () => {
  it('passes when the committed supergraph is the composition of the subgraphs', () => {
    const report = checkSupergraphFreshness(workspace);
    expect(report.problems).toEqual([]);
    expect(report.notes.join('\n')).toMatch(/compose and .*supergraph\.graphql is current/);
  });

  it('fails on a stale supergraph: a subgraph gained a field that was not recomposed', () => {
    workspace.editSubgraph('movies', (sdl) => sdl.replace('  posterUrl: String\n', '  posterUrl: String\n  runtimeMinutes: Int\n'));
    const report = checkSupergraphFreshness(workspace);
    expect(report.problems).toHaveLength(1);
    expect(report.problems[0]).toMatch(/supergraph\.graphql is stale: it differs from the composition of the subgraphs' SDL/);
    expect(report.problems[0]).toContain('runtimeMinutes');
    expect(report.problems[0]).toContain('Run `npm run schema:compose` and commit the result.');
  });

  it('fails with composition errors when the subgraphs disagree', () => {
    // The ratings subgraph now claims Movie.id is an Int while the others say ID!.
    workspace.editSubgraph('ratings', (sdl) => sdl.replace(/(type Movie @key\(fields: "id"\)[^{]*\{\n {2}id: )ID!/, '$1Int!'));
    const report = checkSupergraphFreshness(workspace);
    expect(report.problems[0]).toBe('the subgraphs do not compose:');
    expect(report.problems.join('\n')).toMatch(/Movie\.id/);
  });
});
