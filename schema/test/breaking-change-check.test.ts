import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkBreakingChanges } from '../src/breaking-change-check.js';
import { createTempSchemaWorkspace, type TempSchemaWorkspace } from './support/temp-schema-workspace.js';

let workspace: TempSchemaWorkspace;
let before: string;
beforeEach(() => {
  workspace = createTempSchemaWorkspace();
  before = workspace.compose();
});
afterEach(() => workspace.remove());

const check = (currentSupergraphSdl: string, intentional: { path: string; change: string; reason: string }[] = []) =>
  checkBreakingChanges({
    baseline: { sdl: before, label: 'the previous supergraph' },
    currentSupergraphSdl,
    intentional,
    declarationsFile: 'schema/intentional-changes.json',
  });

describe('checkBreakingChanges', () => {
  it('fails on a removed field, naming the field, old → new, and the declaration to add', async () => {
    workspace.editSubgraph('movies', (sdl) => sdl.replace(/\n {2}"URL of a poster image, when there is one."\n {2}posterUrl: String\n/, '\n'));
    const report = await check(workspace.compose());
    expect(report.problems[0]).toMatch(
      /^undeclared breaking change at Movie\.posterUrl \(FIELD_REMOVED\): Field 'posterUrl' was removed from object type 'Movie'\. Was: Movie\.posterUrl: String → now: \(absent\)\. Removing a field is a breaking change\./,
    );
    expect(report.problems[1]).toContain('{"path":"Movie.posterUrl","change":"FIELD_REMOVED","reason":"why clients may break"}');
  });

  it('passes when the same break is declared intentional, and says so with the reason', async () => {
    workspace.editSubgraph('movies', (sdl) => sdl.replace(/\n {2}"URL of a poster image, when there is one."\n {2}posterUrl: String\n/, '\n'));
    const report = await check(workspace.compose(), [
      { path: 'Movie.posterUrl', change: 'FIELD_REMOVED', reason: 'Posters moved to the media service; apps updated in 4.2.' },
    ]);
    expect(report.problems).toEqual([]);
    expect(report.notes.join('\n')).toContain('declared breaking change at Movie.posterUrl (FIELD_REMOVED)');
    expect(report.notes.join('\n')).toContain('reason: Posters moved to the media service');
  });

  it('shows the old and new type of a changed field', async () => {
    workspace.editSubgraph('movies', (sdl) => sdl.replace('  year: Int\n', '  year: String\n'));
    const report = await check(workspace.compose());
    expect(report.problems[0]).toContain("at Movie.year (FIELD_TYPE_CHANGED): Field 'Movie.year' changed type from 'Int' to 'String'.");
    expect(report.problems[0]).toContain('Was: Movie.year: Int → now: Movie.year: String.');
  });

  it('names a removed argument of a root field', async () => {
    workspace.editSubgraph('ratings', (sdl) =>
      sdl.replace('topRatedMovies(genre: String!, limit: Int = 10, minVotes: Int)', 'topRatedMovies(genre: String!, limit: Int = 10)'),
    );
    const report = await check(workspace.compose());
    expect(report.problems[0]).toMatch(/^undeclared breaking change at Query\.topRatedMovies\.minVotes \(FIELD_ARGUMENT_REMOVED\)/);
    expect(report.problems[0]).toContain('Was: argument Query.topRatedMovies.minVotes: Int → now: (absent).');
  });

  it('ignores federation machinery: a new routing URL changes the supergraph but not the API', async () => {
    workspace.writeFile(
      'schema/supergraph.yaml',
      (await import('node:fs')).readFileSync(workspace.configPath, 'utf8').replace('http://127.0.0.1:4001/graphql', 'http://movies:4001/graphql'),
    );
    const after = workspace.compose();
    expect(after).not.toBe(before);
    const report = await check(after);
    expect(report.problems).toEqual([]);
    expect(report.notes[0]).toBe('compared the API schema with the previous supergraph: 0 change(s), 0 breaking');
  });

  it('an added field is not breaking, and a stale declaration is pointed out', async () => {
    workspace.editSubgraph('movies', (sdl) => sdl.replace('  posterUrl: String\n', '  posterUrl: String\n  runtimeMinutes: Int\n'));
    const report = await check(workspace.compose(), [{ path: 'Movie.posterUrl', change: 'FIELD_REMOVED', reason: 'an older, already shipped removal' }]);
    expect(report.problems).toEqual([]);
    expect(report.notes).toContain(
      'schema/intentional-changes.json: FIELD_REMOVED at Movie.posterUrl matches no change since the previous supergraph; it can be removed',
    );
  });

  it('passes and says why when there is no baseline', async () => {
    const report = await checkBreakingChanges({
      baseline: { sdl: undefined, reason: 'no git history here' },
      currentSupergraphSdl: before,
      intentional: [],
      declarationsFile: 'x.json',
    });
    expect(report).toEqual({ check: 'breaking changes', problems: [], notes: ['not checked: no git history here'] });
  });
});
