import { createDatabase } from '@cinema/db';
import { DEVELOPMENT_SUBGRAPH_SECRET } from '@cinema/kit/config';
import { createLogger } from '@cinema/kit/logging';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes } from '../../../test/support/graphql-client.js';
import { querySubgraph, startSubgraph, type RunningSubgraph } from '../../../test/support/subgraph-harness.js';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js';
import type { MoviesDatabase } from '../src/db/database.js';
import { createMoviesServer } from '../src/server.js';

let database: TestDatabase;
let db: Kysely<MoviesDatabase>;
let movies: RunningSubgraph;

const films = [
  { title: 'The Godfather', year: 1972, overview: 'The aging patriarch of an organized crime dynasty transfers control to his reluctant son.' },
  { title: 'The Godfather Part II', year: 1974, overview: 'The early life of Vito Corleone and the expansion of the family business.' },
  { title: 'Disco Godfather', year: 1979, overview: 'A retired policeman runs a disco.' },
  { title: 'Godzilla', year: 1954, overview: 'A giant monster rises from the sea.' },
  { title: 'Casablanca', year: 1942, overview: 'A cynical nightclub owner protects an old flame in wartime Morocco.' },
  { title: 'The Lord of the Rings: The Fellowship of the Ring', year: 2001, overview: 'A hobbit sets out to destroy a powerful ring.' },
  { title: 'Heat', year: 1995, overview: 'A detective hunts a crew of professional thieves in Los Angeles; a crime saga.' },
];

const SEARCH = `query($q: String!, $first: Int) { searchMovies(query: $q, first: $first) { id title year } }`;
const search = async (q: string, first?: number) => {
  const response = await querySubgraph(movies.url, SEARCH, { q, ...(first !== undefined ? { first } : {}) });
  return { response, titles: (response.body.data?.searchMovies ?? []).map((movie: { title: string }) => movie.title) as string[] };
};

beforeAll(async () => {
  database = await createTestDatabase('movie_search');
  db = createDatabase<MoviesDatabase>({ connectionString: database.url, schema: 'movies', poolSize: 2 });
  await db.insertInto('movies').values(films).execute();
  movies = await startSubgraph(
    await createMoviesServer({ db, logger: createLogger('movies', 'silent'), development: false, subgraphSecret: DEVELOPMENT_SUBGRAPH_SECRET }),
  );
});

afterAll(async () => {
  await movies?.close();
  await db?.destroy();
  await database?.drop();
});

describe('Query.searchMovies', () => {
  it('finds a film despite a typo, the exact title before its sequels', async () => {
    const { response, titles } = await search('godfater');
    expect(response.body.errors).toBeUndefined();
    expect(titles[0]).toBe('The Godfather');
    expect(titles).toContain('The Godfather Part II');
    expect(titles).not.toContain('Casablanca');
  });

  it('matches stemmed words of the title and of the overview, title matches first', async () => {
    expect((await search('Godfathers')).titles[0]).toBe('The Godfather');
    expect((await search('crime')).titles.slice(0, 2).sort()).toEqual(['Heat', 'The Godfather']);
    expect((await search('casablanka')).titles).toEqual(['Casablanca']);
    expect((await search('lord of the rngs')).titles[0]).toBe('The Lord of the Rings: The Fellowship of the Ring');
  });

  it('matches a quoted phrase as a phrase', async () => {
    expect((await search('"family business"')).titles).toEqual(['The Godfather Part II']);
  });

  it('returns at most `first` results, 10 by default', async () => {
    expect((await search('the', 2)).titles).toHaveLength(2);
    expect((await search('godfather', 0)).titles).toEqual([]);
  });

  it('never fails on odd input: quotes, backslashes, operators, SQL, unicode, emoji, control characters', async () => {
    const odd = [
      "'",
      '"',
      "''; drop table movies; --",
      '\\',
      '\\\\x00',
      '&|!:*',
      '!!!',
      '(((',
      'a & | b',
      ':*',
      '<->',
      '-',
      '--',
      '"unclosed',
      'Amélie',
      'Ａｍｅｌｉｅ',
      '東京物語',
      '🎬🍿',
      '\u0000godfather',
      'god\u0007father',
      'god\uD800father',
      '%',
      '_',
      '\t\n godfather \r\n',
      'x'.repeat(200),
    ];
    for (const text of odd) {
      const { response } = await search(text);
      expect(response.status, JSON.stringify(text)).toBe(200);
      expect(response.body.errors, JSON.stringify(text)).toBeUndefined();
    }
    expect((await search('\u0000godfather')).titles[0]).toBe('The Godfather');
    expect(
      await db
        .selectFrom('movies')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .executeTakeFirstOrThrow(),
    ).toEqual({ count: films.length });
  });

  it('answers BAD_USER_INPUT for empty, blank or over-long text and for a page over 50', async () => {
    for (const text of ['', '   ', '\n\t', '\u0000', '\uD800'])
      expect(errorCodes((await search(text)).response), JSON.stringify(text)).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes((await search('x'.repeat(201))).response)).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes((await search('godfather', 51)).response)).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes((await search('godfather', -1)).response)).toEqual(['BAD_USER_INPUT']);
  });
});
