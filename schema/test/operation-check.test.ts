import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApiSchema } from '../src/api-schema.js';
import { collectOperations } from '../src/collect-operations.js';
import { checkOperations } from '../src/operation-check.js';
import { buildSubgraphSchemas } from '../src/subgraph-schemas.js';
import { createTempSchemaWorkspace, type TempSchemaWorkspace } from './support/temp-schema-workspace.js';

let workspace: TempSchemaWorkspace;
beforeEach(() => {
  workspace = createTempSchemaWorkspace();
});
afterEach(() => workspace.remove());

const check = () =>
  checkOperations(
    { api: buildApiSchema(readFileSync(workspace.supergraphPath, 'utf8')), subgraphs: buildSubgraphSchemas(workspace.configPath) },
    collectOperations(workspace.root),
  );
const hint = 'A literal not meant for this graph (an error-handling test, a fake upstream) is skipped when /* invalid GraphQL */ stands right before it.';

describe('checkOperations over collected operations', () => {
  it('fails on a .graphql operation that queries a missing field, naming file:line:column and the operation', () => {
    workspace.writeFile(
      'examples/movie-budget.graphql',
      '# Budget of a film\nquery MovieBudget($id: ID!) {\n  movie(id: $id) {\n    title\n    budget\n  }\n}\n',
    );
    expect(check().problems).toEqual(['examples/movie-budget.graphql:5:5 query MovieBudget: Cannot query field "budget" on type "Movie".', hint]);
  });

  it('fails on an operation literal in a test file, at the line of the bad field', () => {
    workspace.writeFile(
      'router/test/budget.test.ts',
      ["import { graphql } from './client.js';", '', 'await graphql(url, `query($id: ID!) {', '  movie(id: $id) { title budget }', '}`);'].join('\n'),
    );
    expect(check().problems).toEqual([
      'router/test/budget.test.ts:4:26 `query($id: ID!) { movie(id: $id) { title budget } }`: Cannot query field "budget" on type "Movie".',
      hint,
    ]);
  });

  it('reports syntax errors and wrong arguments too', () => {
    workspace.writeFile('test/operations/broken.graphql', /* invalid GraphQL */ '{ movie(id: "1") { title }\n');
    workspace.writeFile('bench/load.ts', "const q = '{ topRatedMovies(genre: 3) { id } }';\n");
    expect(check().problems).toEqual([
      'test/operations/broken.graphql:2:1 `{ movie(id: "1") { title }`: Syntax Error: Expected Name, found <EOF>.',
      'bench/load.ts:1:36 `{ topRatedMovies(genre: 3) { id } }`: String cannot represent a non string value: 3',
      hint,
    ]);
  });

  it("validates the router's subgraph fetches against the subgraph they go to", () => {
    workspace.writeFile(
      'router/test/fetches.test.ts',
      [
        "const plan = 'query TopRated__ratings__0($g:String!){topRatedMovies(genre:$g){id}}';",
        "const entities = 'query($representations:[_Any!]!){_entities(representations:$representations){...on Movie{averageRating}}}';",
        "const wrongSubgraph = 'query Browse__ratings__0{movies{edges{cursor}}}';",
      ].join('\n'),
    );
    const report = check();
    expect(report.problems).toEqual(['router/test/fetches.test.ts:3:49 query Browse__ratings__0: Cannot query field "movies" on type "Query".', hint]);
    expect(report.notes[0]).toBe(
      "validated 3 GraphQL document(s) from 1 file(s): 0 against the API schema, 3 subgraph fetch(es) against their subgraph's schema",
    );
  });

  it('passes valid operations, validating placeholders inside strings and skipping what cannot be known statically', () => {
    workspace.writeFile(
      'test/e2e/graph.e2e.ts',
      [
        'const ok = `{ topRatedMovies(genre: "${genre}", limit: 5) { id title averageRating cast { person { name } } } }`;',
        'const built = `{ movies(first: ${first}) { edges { cursor } } }`;',
        // A test of the router's own validation error, marked so the check leaves it alone.
        'const bad = /* invalid GraphQL */ `{ movie(id: "1") { budget } }`;',
        'const json = \'{"error":{"code":"NOT_FOUND"}}\';',
        "it('query without a token is refused', () => {});",
      ].join('\n'),
    );
    workspace.writeFile('subgraphs/movies/src/client.ts', 'const notScanned = `{ movie(id: "1") { budget } }`;');
    workspace.writeFile('test/fixtures/schema.graphql', 'type Query { budget: Int }\n');
    const report = check();
    expect(report.problems).toEqual([]);
    expect(report.notes).toEqual([
      "validated 1 GraphQL document(s) from 1 file(s): 1 against the API schema, 0 subgraph fetch(es) against their subgraph's schema",
      'not checked: test/e2e/graph.e2e.ts:2 `{ movies(first: x) { edges { cursor } } }` (built with ${...} outside a GraphQL string value, so its final text is only known at run time)',
      'not checked: test/e2e/graph.e2e.ts:3 `{ movie(id: "1") { budget } }` (marked /* invalid GraphQL */)',
    ]);
  });
});
