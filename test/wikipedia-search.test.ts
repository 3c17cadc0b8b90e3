import { existsSync } from 'node:fs';
import path from 'node:path';
import { createDatabase } from '@cinema/db';
import { importWikipediaMovies, repoRoot } from '@cinema/data-tools';
import { DEVELOPMENT_SUBGRAPH_SECRET } from '@cinema/kit/config';
import { createLogger } from '@cinema/kit/logging';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MoviesDatabase } from '../subgraphs/movies/src/db/database.js';
import { createMoviesServer } from '../subgraphs/movies/src/server.js';
import type { PeopleDatabase } from '../subgraphs/people/src/db/database.js';
import { createPeopleServer } from '../subgraphs/people/src/server.js';
import { querySubgraph, startSubgraph, type RunningSubgraph } from './support/subgraph-harness.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

/** The real data set lives beside the repository, never in it. */
const dataFolder = path.resolve(repoRoot, '../shared/data/wikipedia-movies');
const available = existsSync(dataFolder);
if (!available) console.warn(`\n*** ${dataFolder} is missing: SKIPPING search over the real Wikipedia catalogue ***\n`);

describe.skipIf(!available)('search over the real Wikipedia catalogue', () => {
  let database: TestDatabase;
  let moviesDb: Kysely<MoviesDatabase>;
  let peopleDb: Kysely<PeopleDatabase>;
  let movies: RunningSubgraph;
  let people: RunningSubgraph;

  beforeAll(async () => {
    database = await createTestDatabase('wikipedia_search');
    await importWikipediaMovies(database.url, dataFolder);
    moviesDb = createDatabase<MoviesDatabase>({ connectionString: database.url, schema: 'movies', poolSize: 2 });
    peopleDb = createDatabase<PeopleDatabase>({ connectionString: database.url, schema: 'people', poolSize: 2 });
    const logger = createLogger('search-test', 'silent');
    movies = await startSubgraph(await createMoviesServer({ db: moviesDb, logger, development: false, subgraphSecret: DEVELOPMENT_SUBGRAPH_SECRET }));
    people = await startSubgraph(await createPeopleServer({ db: peopleDb, logger, development: false, subgraphSecret: DEVELOPMENT_SUBGRAPH_SECRET }));
  });

  afterAll(async () => {
    await Promise.all([movies?.close(), people?.close()]);
    await Promise.all([moviesDb?.destroy(), peopleDb?.destroy()]);
    await database?.drop();
  });

  const searchMovies = async (query: string) => {
    const response = await querySubgraph(movies.url, `query($q: String!) { searchMovies(query: $q, first: 5) { title year } }`, { q: query });
    expect(response.body.errors).toBeUndefined();
    return response.body.data.searchMovies as { title: string; year: number }[];
  };
  const searchPeople = async (query: string) => {
    const response = await querySubgraph(people.url, `query($q: String!) { searchPeople(query: $q, first: 5) { name } }`, { q: query });
    expect(response.body.errors).toBeUndefined();
    return (response.body.data.searchPeople as { name: string }[]).map((person) => person.name);
  };

  it('"godfater" finds The Godfather (1972) first, among more than 36,000 films', async () => {
    expect((await searchMovies('godfater'))[0]).toEqual({ title: 'The Godfather', year: 1972 });
  });

  it('forgives typos in other famous titles', async () => {
    for (const [typo, title] of [
      ['casablanka', 'Casablanca'],
      ['shawshank redemtion', 'The Shawshank Redemption'],
      ['pulp fictoin', 'Pulp Fiction'],
      ['lord of the rngs', 'The Lord of the Rings'],
    ] as const) {
      expect(
        (await searchMovies(typo)).slice(0, 3).map((movie) => movie.title),
        typo,
      ).toContain(title);
    }
  });

  it('finds actors despite typos', async () => {
    expect((await searchPeople('Al Pacnio'))[0]).toBe('Al Pacino');
    expect((await searchPeople('marlon brandoo'))[0]).toBe('Marlon Brando');
    expect((await searchPeople('humphrey bogart'))[0]).toBe('Humphrey Bogart');
  });
});
