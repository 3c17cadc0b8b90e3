import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { allPassed } from '../src/check-report.js';
import { runSchemaChecks } from '../src/schema-checks.js';
import { createTempSchemaWorkspace, type TempSchemaWorkspace } from './support/temp-schema-workspace.js';

let workspace: TempSchemaWorkspace;
beforeEach(() => {
  workspace = createTempSchemaWorkspace();
  workspace.writeFile('examples/movie.graphql', 'query Movie($id: ID!) {\n  movie(id: $id) {\n    title\n    posterUrl\n  }\n}\n');
  workspace.git('init', '-q', '-b', 'main');
  commitAll('first schema');
});
afterEach(() => workspace.remove());

const commitAll = (message: string) => {
  workspace.git('add', '-A');
  workspace.git('commit', '-q', '-m', message);
};
const run = () => runSchemaChecks({ ...workspace, root: workspace.root });
const removePosterUrl = (sdl: string) => sdl.replace(/\n {2}"URL of a poster image, when there is one."\n {2}posterUrl: String\n/, '\n');

describe('runSchemaChecks on a repository', () => {
  it('passes on a consistent repository and says what each check compared', async () => {
    const reports = await run();
    expect(reports.map((r) => [r.check, r.problems])).toEqual([
      ['composition', []],
      ['breaking changes', []],
      ['operations', []],
    ]);
    expect(reports[1]?.notes[0]).toMatch(/^not checked: schema\/supergraph\.graphql (has no version before|was created by)/);
  });

  it('a committed field removal fails the breaking-change check and the operation that still selects it', async () => {
    workspace.editSubgraph('movies', removePosterUrl);
    workspace.compose();
    commitAll('drop posterUrl');
    const [composition, breaking, operations] = await run();
    expect(composition?.problems).toEqual([]);
    expect(breaking?.problems[0]).toMatch(/^undeclared breaking change at Movie\.posterUrl \(FIELD_REMOVED\)/);
    expect(breaking?.notes[0]).toMatch(/^compared the API schema with schema\/supergraph\.graphql before \w+ \("drop posterUrl"\)/);
    expect(operations?.problems[0]).toBe('examples/movie.graphql:4:5 query Movie: Cannot query field "posterUrl" on type "Movie".');
  });

  it('the declared removal passes once the operations stop selecting the field', async () => {
    workspace.editSubgraph('movies', removePosterUrl);
    workspace.compose();
    workspace.writeFile('examples/movie.graphql', 'query Movie($id: ID!) {\n  movie(id: $id) {\n    title\n  }\n}\n');
    workspace.writeFile(
      'schema/intentional-changes.json',
      JSON.stringify({ changes: [{ path: 'Movie.posterUrl', change: 'FIELD_REMOVED', reason: 'Posters are served by the media service from 4.2 on.' }] }),
    );
    commitAll('drop posterUrl, declared');
    expect(allPassed(await run())).toBe(true);
  });

  it('a subgraph edit without recomposing fails as stale while the other checks still run', async () => {
    workspace.editSubgraph('movies', (sdl) => sdl.replace('  posterUrl: String\n', '  posterUrl: String\n  runtimeMinutes: Int\n'));
    const reports = await run();
    expect(reports[0]?.problems[0]).toMatch(/supergraph\.graphql is stale: /);
    expect(reports.slice(1).map((r) => r.problems)).toEqual([[], []]);
  });

  it('a malformed declarations file fails with the offending entry', async () => {
    workspace.writeFile('schema/intentional-changes.json', JSON.stringify({ changes: [{ path: 'Movie.posterUrl', change: 'FIELD_REMOVED', reason: '' }] }));
    const [, breaking] = await run();
    expect(breaking?.problems).toEqual([expect.stringContaining('is malformed: changes.0.reason: reason must say why the break is acceptable')]);
  });
});
