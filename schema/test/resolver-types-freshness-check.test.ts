import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generate } from '@graphql-codegen/cli';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolverTypesCodegenConfig, resolverTypesFile } from '../src/resolver-types-codegen.js';
import { checkResolverTypesFreshness } from '../src/resolver-types-freshness-check.js';
import { createTempSchemaWorkspace, type TempSchemaWorkspace } from './support/temp-schema-workspace.js';

// GraphQL Code Generator runs for real here (four subgraphs, about a second each on a loaded 2-core machine).
const GENERATOR_TIMEOUT_MS = 60_000;

let workspace: TempSchemaWorkspace;
beforeEach(async () => {
  workspace = createTempSchemaWorkspace();
  // What `npm run codegen` writes, into the temp copy of the subgraphs' SDL.
  await generate({ ...resolverTypesCodegenConfig(workspace.root), cwd: workspace.root }, true);
}, GENERATOR_TIMEOUT_MS);
afterEach(() => workspace.remove());

const moviesTypes = () => path.join(workspace.root, resolverTypesFile('movies'));

describe('checkResolverTypesFreshness', () => {
  it(
    'passes when every generated file is what the generator writes from the SDL',
    async () => {
      const report = await checkResolverTypesFreshness({ root: workspace.root });
      expect(report.problems).toEqual([]);
      expect(report.notes).toEqual(['the resolver types of 4 subgraphs are current']);
      expect(readFileSync(moviesTypes(), 'utf8')).toContain('export type Resolvers<ContextType = MoviesContext>');
    },
    GENERATOR_TIMEOUT_MS,
  );

  it(
    'fails on stale types: a subgraph gained a field that was not regenerated',
    async () => {
      workspace.editSubgraph('movies', (sdl) => sdl.replace('  posterUrl: String\n', '  posterUrl: String\n  runtimeMinutes: Int\n'));
      const report = await checkResolverTypesFreshness({ root: workspace.root });
      expect(report.problems).toHaveLength(1);
      expect(report.problems[0]).toMatch(
        /^subgraphs\/movies\/src\/generated\/resolvers-types\.ts is stale: it differs from what GraphQL Code Generator writes/,
      );
      expect(report.problems[0]).toContain('runtimeMinutes');
      expect(report.problems[0]).toContain('Run `npm run codegen` and commit the result.');
    },
    GENERATOR_TIMEOUT_MS,
  );

  it(
    'fails on a hand-edited generated file',
    async () => {
      const file = path.join(workspace.root, resolverTypesFile('people'));
      writeFileSync(file, readFileSync(file, 'utf8').replace("  name: Scalars['String']['output'];", "  name?: Scalars['String']['output'];"));
      const report = await checkResolverTypesFreshness({ root: workspace.root });
      expect(report.problems).toHaveLength(1);
      expect(report.problems[0]).toMatch(
        /^subgraphs\/people\/src\/generated\/resolvers-types\.ts is stale: .*committed "name\?: Scalars\['String'\]\['output'\];", generated "name: Scalars/,
      );
    },
    GENERATOR_TIMEOUT_MS,
  );

  it(
    'fails when a generated file is missing',
    async () => {
      rmSync(moviesTypes());
      const report = await checkResolverTypesFreshness({ root: workspace.root });
      expect(report.problems).toEqual(['subgraphs/movies/src/generated/resolvers-types.ts does not exist. Run `npm run codegen` and commit the result.']);
    },
    GENERATOR_TIMEOUT_MS,
  );

  it(
    'fails when a subgraph has an SDL but no resolver types config',
    async () => {
      workspace.writeFile('subgraphs/reviews/src/schema.graphql', 'type Query { reviews: [String!]! }\n');
      const report = await checkResolverTypesFreshness({ root: workspace.root });
      expect(report.problems).toEqual([
        'subgraphs/reviews has an SDL but no resolver types: add it to SUBGRAPH_RESOLVER_TYPES in schema/src/resolver-types-codegen.ts, run `npm run codegen` and commit the result.',
      ]);
    },
    GENERATOR_TIMEOUT_MS,
  );

  it(
    'fails, naming the generator, when a subgraph SDL does not parse',
    async () => {
      workspace.editSubgraph('ratings', (sdl) => sdl.replace('type Rating {', 'type Rating {{'));
      const report = await checkResolverTypesFreshness({ root: workspace.root });
      expect(report.problems).toHaveLength(1);
      expect(report.problems[0]).toMatch(/^GraphQL Code Generator failed on the subgraphs' SDL: /);
    },
    GENERATOR_TIMEOUT_MS,
  );
});
