import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../support/graphql-client.js';
import { seedSmallCatalogue, startInProcessPlatform, type InProcessPlatform, type StatementCounts } from '../support/in-process-platform.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

/** Top-rated movies of a genre → cast → each person's films → their average ratings: four levels, three subgraphs. */
const DEEP = `query DeepTopRated($genre: String!, $limit: Int!) {
  topRatedMovies(genre: $genre, limit: $limit) {
    id title averageRating
    cast { character person { id name movies { id title averageRating } } }
  }
}`;

/**
 * What the deep query may cost, per subgraph, however many movies it returns: ratings ranks (1) and reads the
 * statistics of the ranked films (1) and of the cast's films (1); movies reads both sets of titles (1 + 1); people
 * reads the casts (1) and the people's films (1, people come with their credits).
 */
const BUDGET: StatementCounts = { ratings: 3, movies: 2, people: 2, viewing: 0 };

let database: TestDatabase;
let batched: InProcessPlatform;
let unbatched: InProcessPlatform;
let genre: string;

async function statementsOf(platform: InProcessPlatform, limit: number): Promise<{ counts: StatementCounts; movies: number; people: number }> {
  platform.resetStatements();
  const response = await graphql(platform.routerUrl, DEEP, { genre, limit });
  expect(response.body.errors).toBeUndefined();
  const top = response.body.data.topRatedMovies as { cast: { person: { movies: unknown[] } }[] }[];
  const people = top.flatMap((movie) => movie.cast);
  return { counts: platform.statements(), movies: top.length, people: people.length };
}

beforeAll(async () => {
  database = await createTestDatabase('deep_query');
  await seedSmallCatalogue(database.url);
  // No response cache: every request must reach the subgraphs to be counted.
  batched = await startInProcessPlatform(database.url, { routerEnv: { RESPONSE_CACHE: 'false' } });
  // Unbatched, the query sends hundreds of statements: on a busy machine that can outlast the default subgraph timeout.
  unbatched = await startInProcessPlatform(database.url, {
    routerEnv: { RESPONSE_CACHE: 'false', SUBGRAPH_TIMEOUT_MS: '60000' },
    loaderOptions: { maxBatchSize: 1 },
  });
  const genres = (await graphql(batched.routerUrl, '{ genres }')).body.data.genres as string[];
  genre = genres[0]!;
});

afterAll(async () => {
  await batched?.stop();
  await unbatched?.stop();
  await database?.drop();
});

describe('SQL statements of a deep federated query', () => {
  it('stay within a fixed budget per subgraph, whatever the number of movies, people and films', async () => {
    const small = await statementsOf(batched, 2);
    const large = await statementsOf(batched, 40);
    expect(large.movies).toBe(40);
    expect(large.people).toBeGreaterThan(small.people * 5);
    expect(small.counts).toEqual(BUDGET);
    expect(large.counts).toEqual(BUDGET);
  });

  it('grow with the size of the answer when DataLoader batching is off', async () => {
    const { counts, people } = await statementsOf(unbatched, 40);
    const total = counts.movies + counts.people + counts.ratings;
    // One statement per film, cast and person instead of one per entity type.
    expect(total).toBeGreaterThan(people);
  });
});
