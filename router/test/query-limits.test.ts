import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { getIntrospectionQuery, Kind, parse, validate, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildApiSchema, collectOperations } from '../../schema/src/index.js';
import { loadRouterConfig } from '../src/config.js';
import { DocumentLimits } from '../src/limits/document-limits.js';
import { estimateCost } from '../src/limits/estimate-cost.js';
import { measureDocument } from '../src/limits/measure-document.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const api = buildApiSchema(readFileSync(path.join(repoRoot, 'schema', 'supergraph.graphql'), 'utf8'));
const { queryLimits } = loadRouterConfig({});
const costOf = (query: string, variables?: Record<string, unknown>) => {
  const document = parse(query);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  return estimateCost(api, document, operation, { assumedListSize: 20, variables });
};

describe('the default query limits', () => {
  it('admit every operation the repository sends to the router (examples, tests, benchmarks) and the introspection GraphiQL sends', () => {
    // The hostile suites send over-limit operations on purpose.
    const hostileSuites = new Set(['router/test/hostile-queries.test.ts', 'test/e2e/security.e2e.ts']);
    const operations = collectOperations(repoRoot).filter((operation) => !operation.skip && !hostileSuites.has(operation.file));
    const introspection = getIntrospectionQuery({
      descriptions: true,
      specifiedByUrl: true,
      directiveIsRepeatable: true,
      schemaDescription: true,
      inputValueDeprecation: true,
    });
    const limits = new DocumentLimits(queryLimits);
    let checked = 0;
    for (const { file, line, text } of [...operations, { file: 'GraphiQL', line: 0, text: introspection }]) {
      let document;
      try {
        document = parse(text);
      } catch {
        continue;
      }
      // Subgraph fetches and deliberately broken documents are not sent to the router.
      if (validate(api, document).length > 0) continue;
      checked += 1;
      expect(limits.check(text), `${file}:${line}`).toBeNull();
      for (const definition of document.definitions) {
        if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
        expect(estimateCost(api, document, definition, { assumedListSize: queryLimits.assumedListSize }), `${file}:${line}`).toBeLessThanOrEqual(
          queryLimits.maxCost,
        );
      }
    }
    expect(checked).toBeGreaterThan(30);
  });

  it("admit the deepest query the schema's own argument limits allow (topRatedMovies at its largest limit, two lists deep)", () => {
    const deep =
      'query($g: String!, $n: Int!) { topRatedMovies(genre: $g, limit: $n) { id title cast { character person { id name movies { id title averageRating } } } } }';
    expect(costOf(deep, { g: 'Drama', n: 100 })).toBe(44_100);
    expect(costOf(deep, { g: 'Drama', n: 100 })).toBeLessThanOrEqual(queryLimits.maxCost);
  });
});

describe('estimateCost', () => {
  it('counts objects, each list at its first/limit, a connection bounding the lists inside it', () => {
    expect(costOf('{ genres }')).toBe(0);
    expect(costOf('{ movie(id: "1") { title cast { person { name } } } }')).toBe(1 + 20 + 20);
    expect(costOf('{ topRatedMovies(genre: "Drama", limit: 5) { title } }')).toBe(5);
    expect(costOf('{ movies(first: 100) { edges { node { title } } pageInfo { hasNextPage } } }')).toBe(1 + 100 + 100 + 1);
    // Defaults from the schema (`first: Int = 20`, `limit: Int = 10`), from a variable's default, and from variables.
    expect(costOf('{ movies { edges { node { id } } } }')).toBe(1 + 20 + 20);
    expect(costOf('{ topRatedMovies(genre: "Drama") { id } }')).toBe(10);
    expect(costOf('query($n: Int = 7) { movies(first: $n) { edges { node { id } } } }')).toBe(1 + 7 + 7);
    expect(costOf('query($n: Int = 7) { movies(first: $n) { edges { node { id } } } }', { n: 50 })).toBe(1 + 50 + 50);
  });

  it('costs fragments once each, however often they are spread', () => {
    const levels = 40;
    const bomb = `query { movie(id: "1") { ...F0 } } ${Array.from({ length: levels }, (_, i) => `fragment F${i} on Movie { ...F${i + 1} ...F${i + 1} }`).join(' ')} fragment F${levels} on Movie { directors { name } }`;
    const started = performance.now();
    expect(costOf(bomb)).toBe(1 + 2 ** levels * 20);
    // Expanded naively, 2^40 spreads would take hours; memoised it takes well under a millisecond. 10 s tells the
    // two apart on however loaded a machine.
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});

describe('measureDocument', () => {
  it('measures depth and aliases with fragments expanded, and survives fragment cycles', () => {
    expect(measureDocument(parse('{ a: genres b: genres movie(id: 1) { cast { person { name } } } }'))).toEqual({
      depth: 4,
      aliases: 2,
      introspectionLists: 0,
    });
    expect(measureDocument(parse('query { ...Q ...Q } fragment Q on Query { x: genres }')).aliases).toBe(2);
    expect(measureDocument(parse(/* invalid GraphQL */ 'query { movie { ...A } } fragment A on Movie { cast { person { movies { ...A } } } }')).depth).toBe(4);
    expect(measureDocument(parse('{ __schema { types { fields { type { fields { name } } } } } }'))).toEqual({ depth: 0, aliases: 0, introspectionLists: 3 });
  });
});
