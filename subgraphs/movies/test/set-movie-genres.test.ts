import { createDatabase } from '@cinema/db';
import { CATALOGUE_EVENTS_CHANNEL } from '@cinema/kit/catalogue-feed';
import { DEVELOPMENT_SUBGRAPH_SECRET } from '@cinema/kit/config';
import { createLogger } from '@cinema/kit/logging';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes } from '../../../test/support/graphql-client.js';
import { getSigned, querySubgraph, startSubgraph, type RunningSubgraph } from '../../../test/support/subgraph-harness.js';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js';
import type { MoviesDatabase } from '../src/db/database.js';
import { createMoviesServer } from '../src/server.js';

let database: TestDatabase;
let db: Kysely<MoviesDatabase>;
let movies: RunningSubgraph;
let listener: pg.Client;
const notifications: string[] = [];

const SET = `mutation($id: ID!, $genres: [String!]!) { setMovieGenres(movieId: $id, genres: $genres) { id title genres } }`;
const editor = { userId: 'eve', roles: ['editor'] };
/** Sets genres as `identity` (an editor by default, anonymous with null). */
const setGenres = (id: string, genres: string[], identity: { userId: string; roles: string[] } | null = editor) =>
  querySubgraph(movies.url, SET, { id, genres }, identity ?? undefined);

/** What setMovieGenres may touch: the film's genres and the outbox. */
const snapshot = async () => ({
  links: await db.selectFrom('movie_genres').selectAll().orderBy('movie_id').orderBy('genre_id').execute(),
  events: await db.selectFrom('catalogue_events').select(['seq', 'movie_id', 'genres']).orderBy('seq').execute(),
});

beforeAll(async () => {
  database = await createTestDatabase('set_movie_genres');
  db = createDatabase<MoviesDatabase>({ connectionString: database.url, schema: 'movies', poolSize: 4 });
  await db
    .insertInto('genres')
    .values([{ name: 'Drama' }, { name: 'Crime' }, { name: 'Comedy' }])
    .execute();
  await db
    .insertInto('movies')
    .values([
      { title: 'The Godfather', year: 1972 },
      { title: 'Airplane!', year: 1980 },
    ])
    .execute();
  await db
    .insertInto('movie_genres')
    .values([
      { movie_id: 1, genre_id: 1 },
      { movie_id: 2, genre_id: 3 },
    ])
    .execute();
  listener = new pg.Client({ connectionString: database.url });
  await listener.connect();
  listener.on('notification', (message) => notifications.push(message.payload ?? ''));
  await listener.query(`listen ${CATALOGUE_EVENTS_CHANNEL}`);
  movies = await startSubgraph(
    await createMoviesServer({ db, logger: createLogger('movies', 'silent'), development: false, subgraphSecret: DEVELOPMENT_SUBGRAPH_SECRET }),
  );
});

afterAll(async () => {
  await movies?.close();
  await listener?.end();
  await db?.destroy();
  await database?.drop();
});

describe('Mutation.setMovieGenres', () => {
  it('replaces the genres and appends one outbox event in the same transaction, notifying after commit', async () => {
    const response = await setGenres('1', ['Crime', 'Drama', 'Crime']);
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data.setMovieGenres).toEqual({ id: '1', title: 'The Godfather', genres: ['Crime', 'Drama'] });
    const { events } = await snapshot();
    expect(events.at(-1)).toMatchObject({ movie_id: 1, genres: ['Crime', 'Drama'] });
    await expect.poll(() => notifications).toContain(String(events.at(-1)?.seq));
    // The feed serves the event to the ratings service.
    const feed = (await (await getSigned(`${movies.url}/feeds/catalogue?after=0`)).json()) as { events: unknown[] };
    expect(feed.events.at(-1)).toEqual({ seq: events.at(-1)?.seq, kind: 'movie.upserted', movieId: 1, genres: ['Crime', 'Drama'] });
  });

  it('can empty a film of genres', async () => {
    const response = await setGenres('2', []);
    expect(response.body.data.setMovieGenres.genres).toEqual([]);
    expect((await snapshot()).events.at(-1)).toMatchObject({ movie_id: 2, genres: [] });
  });

  it('refuses callers without a token or without the editor role, bad input and unknown films, writing nothing', async () => {
    const before = await snapshot();
    const notified = notifications.length;
    expect(errorCodes(await setGenres('1', ['Comedy'], null))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await setGenres('1', ['Comedy'], { userId: 'mallory', roles: [] }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await setGenres('1', ['Comedy'], { userId: 'mallory', roles: ['viewer'] }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await setGenres('1', ['Comedy', 'Space Western']))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await setGenres('1', ['comedy']))).toEqual(['BAD_USER_INPUT']);
    expect(
      errorCodes(
        await setGenres(
          '1',
          Array.from({ length: 11 }, (_, i) => `Genre ${i}`),
        ),
      ),
    ).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await setGenres('abc', ['Comedy']))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await setGenres('999', ['Comedy']))).toEqual(['NOT_FOUND']);
    expect(await snapshot()).toEqual(before);
    // No notification for any refusal. Rather than wait a while for one that should not come, a valid change is the
    // marker: PostgreSQL delivers notifications in commit order, so once the marker's has arrived an earlier one
    // would have too.
    expect((await setGenres('1', ['Comedy'])).body.errors).toBeUndefined();
    const marker = String((await snapshot()).events.at(-1)?.seq);
    await expect.poll(() => notifications.slice(notified)).toContain(marker);
    expect(notifications.slice(notified)).toEqual([marker]);
  });

  it('numbers concurrent edits in commit order, so a feed reader never skips one', async () => {
    const before = (await snapshot()).events.length;
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => setGenres(String((i % 2) + 1), i % 3 === 0 ? ['Drama'] : ['Comedy', 'Crime'])));
    for (const result of results) expect(result.body.errors).toBeUndefined();
    const { events, links } = await snapshot();
    expect(events).toHaveLength(before + 20);
    // The last event of each film carries the genres the film ended with.
    for (const movieId of [1, 2]) {
      const last = events.filter((event) => event.movie_id === movieId).at(-1);
      const names = await db
        .selectFrom('genres')
        .select('name')
        .where(
          'id',
          'in',
          links.filter((l) => l.movie_id === movieId).map((l) => l.genre_id),
        )
        .orderBy('name')
        .execute();
      expect(last?.genres).toEqual(names.map((n) => n.name));
    }
  });
});
