import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readBaselineSupergraph } from '../src/baseline-supergraph.js';
import { createTempSchemaWorkspace, type TempSchemaWorkspace } from './support/temp-schema-workspace.js';

let workspace: TempSchemaWorkspace;
beforeEach(() => {
  workspace = createTempSchemaWorkspace();
});
afterEach(() => workspace.remove());

const commitAll = (message: string) => {
  workspace.git('add', '-A');
  workspace.git('commit', '-q', '-m', message);
};

describe('readBaselineSupergraph', () => {
  it('has no baseline outside a git work tree, and says so', () => {
    expect(readBaselineSupergraph(workspace.supergraphPath)).toEqual({
      sdl: undefined,
      reason: 'no git history here (not a git work tree, or git is missing)',
    });
  });

  it('has no baseline when the supergraph was created by the only commit that touched it', () => {
    workspace.git('init', '-q', '-b', 'main');
    commitAll('first schema');
    const baseline = readBaselineSupergraph(workspace.supergraphPath);
    expect(baseline.sdl).toBeUndefined();
    expect(baseline).toMatchObject({ reason: expect.stringMatching(/^schema\/supergraph\.graphql (has no version before|was created by) \w+/) });
  });

  it('is the version before the last commit that changed the supergraph, even with unrelated commits on top', () => {
    workspace.git('init', '-q', '-b', 'main');
    commitAll('first schema');
    const first = readFileSync(workspace.supergraphPath, 'utf8');
    workspace.editSubgraph('movies', (sdl) => sdl.replace('  year: Int\n', '  year: String\n'));
    workspace.compose();
    commitAll('year becomes a string');
    workspace.writeFile('README.md', 'unrelated\n');
    commitAll('unrelated change');

    const baseline = readBaselineSupergraph(workspace.supergraphPath);
    expect(baseline.sdl).toBe(first);
    expect(baseline).toMatchObject({
      label: expect.stringMatching(/^schema\/supergraph\.graphql before \w+ \("year becomes a string"\), the last commit that changed it$/),
    });
  });

  it('is the HEAD version while the working copy has uncommitted changes', () => {
    workspace.git('init', '-q', '-b', 'main');
    commitAll('first schema');
    const committed = readFileSync(workspace.supergraphPath, 'utf8');
    writeFileSync(workspace.supergraphPath, `${committed}\n`);
    expect(readBaselineSupergraph(workspace.supergraphPath)).toEqual({
      sdl: committed,
      label: 'schema/supergraph.graphql at HEAD (the working copy changes it)',
    });
  });

  it('uses the given base revision, and refuses one that does not exist', () => {
    workspace.git('init', '-q', '-b', 'main');
    commitAll('first schema');
    workspace.git('tag', 'release-1');
    const released = readFileSync(workspace.supergraphPath, 'utf8');
    workspace.editSubgraph('movies', (sdl) => sdl.replace('  year: Int\n', '  year: String\n'));
    workspace.compose();
    commitAll('year becomes a string');

    expect(readBaselineSupergraph(workspace.supergraphPath, { baseRef: 'release-1' })).toEqual({
      sdl: released,
      label: 'schema/supergraph.graphql at release-1',
    });
    expect(() => readBaselineSupergraph(workspace.supergraphPath, { baseRef: 'no-such-branch' })).toThrow(
      'the base revision "no-such-branch" (SCHEMA_BASE_REF) does not exist in this repository',
    );
  });
});
