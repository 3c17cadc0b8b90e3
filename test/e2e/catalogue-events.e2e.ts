import { createDatabase } from '@cinema/db';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEVELOPMENT_JWT_SECRET } from '../../router/src/config.js';
import { signDevToken } from '../../router/src/dev-token.js';
import { errorCodes, graphql } from '../support/graphql-client.js';
import { querySubgraph } from '../support/subgraph-harness.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.js';

let database: TestDatabase;
let platform: TestPlatform;
let url: string;
let editorToken: string;

const SET_GENRES = `mutation($id: ID!, $genres: [String!]!) { setMovieGenres(movieId: $id, genres: $genres) { id genres } }`;
const TOP = `query($genre: String!) { topRatedMovies(genre: $genre, limit: 100, minVotes: 0) { id } }`;

/**
 * Ids in a genre's ranking as the router serves it (or, given the base URL of one ratings process, as it answers
 * alone, asked with the router's signature); empty while the ratings service is unreachable.
 */
async function rankedIds(genre: string, ratingsProcess?: string): Promise<string[]> {
  const response = ratingsProcess ? await querySubgraph(ratingsProcess, TOP, { genre }) : await graphql(url, TOP, { genre });
  return (response.body.data?.topRatedMovies ?? []).map((movie: { id: string }) => movie.id);
}

/** Polls until `genre`'s ranking includes (or excludes) the movie; resolves with the milliseconds it took. */
async function waitForRanking(genre: string, movieId: string, included: boolean, timeoutMs: number, ratingsProcess?: string): Promise<number> {
  const started = Date.now();
  for (;;) {
    if ((await rankedIds(genre, ratingsProcess)).includes(movieId) === included) return Date.now() - started;
    if (Date.now() - started > timeoutMs) throw new Error(`${movieId} still ${included ? 'missing from' : 'in'} ${genre} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Outbox events of the movies service that the ratings service has not read yet (from the database, not the graph). */
async function unreadByRatings(): Promise<number> {
  const db = createDatabase<unknown>({ connectionString: platform.databaseUrl, schema: 'public', poolSize: 1, applicationName: 'catalogue-events-test' });
  try {
    const { rows } = await sql<{ unread: string }>`
      select count(*) as unread from movies.catalogue_events
       where seq > coalesce((select max(last_seq) from ratings.feed_cursors), 0)`.execute(db);
    return Number(rows[0]!.unread);
  } finally {
    await db.destroy();
  }
}

/**
 * Generous bound on how long a change takes to reach the rankings. The poll period is 60 s (set below), so any
 * arrival under 20 s came through the doorbell or the start-up catch-up; 20 s rather than the milliseconds it takes
 * leaves room for a loaded two-core machine running other end-to-end files beside this one.
 */
const ARRIVAL_BOUND_MS = 20_000;

async function setGenres(movieId: string, genres: string[]) {
  const response = await graphql(url, SET_GENRES, { id: movieId, genres }, editorToken);
  expect(response.body.errors).toBeUndefined();
  expect(response.body.data.setMovieGenres.genres).toEqual([...genres].sort());
}

beforeAll(async () => {
  // A poll period far beyond the bounds asserted below: changes must arrive through the LISTEN/NOTIFY doorbell,
  // and after downtime through the start-up catch-up. Service processes inherit this environment.
  process.env.CATALOGUE_SYNC_INTERVAL_MS = '60000';
  database = await createTestDatabase('e2e_events');
  platform = await startTestPlatform(database.url, { REPLICAS: '1', DEMO_VIDEOS: '0' });
  url = platform.routerUrl;
  editorToken = await signDevToken('editor-1', DEVELOPMENT_JWT_SECRET, '1h', ['editor']);
});

afterAll(async () => {
  await platform?.stop();
  await database?.drop();
});

describe('catalogue change events from the movies service to the ratings service', () => {
  it('only editors change genres, through the router', async () => {
    const id = (await rankedIds(platform.genre))[0]!;
    expect(errorCodes(await graphql(url, SET_GENRES, { id, genres: ['Drama'] }))).toEqual(['UNAUTHENTICATED']);
    const viewer = await signDevToken('viewer-1', DEVELOPMENT_JWT_SECRET, '1h');
    expect(errorCodes(await graphql(url, SET_GENRES, { id, genres: ['Drama'] }, viewer))).toEqual(['FORBIDDEN']);
  });

  it('topRatedMovies follows a genre change without waiting for the poll', async () => {
    const genres: string[] = (await graphql(url, '{ genres }')).body.data.genres;
    const movieId = (await rankedIds(platform.genre))[0]!;
    const target = genres.find((genre) => genre !== platform.genre)!;
    expect(await rankedIds(target)).not.toContain(movieId);

    await setGenres(movieId, [target]);
    expect(await waitForRanking(target, movieId, true, ARRIVAL_BOUND_MS)).toBeLessThan(ARRIVAL_BOUND_MS);
    expect(await waitForRanking(platform.genre, movieId, false, ARRIVAL_BOUND_MS)).toBeLessThan(ARRIVAL_BOUND_MS);
  });

  it('a ratings service that was down during a change catches up when it comes back', async () => {
    const genres: string[] = (await graphql(url, '{ genres }')).body.data.genres;
    const movieId = (await rankedIds(platform.genre))[0]!;
    const target = genres.filter((genre) => genre !== platform.genre).at(-1)!;
    const ratings = platform.services.find((service) => service.name === 'ratings')!;

    process.kill(ratings.pid, 'SIGKILL');
    await ratings.exited;
    expect(await unreadByRatings()).toBe(0);
    await setGenres(movieId, [target, platform.genre]);
    // Nobody is listening now: the router answers the ranking with an error (not an empty list), and the event
    // waits in the outbox, unread by ratings.
    const down = await graphql(url, TOP, { genre: target });
    expect(down.body.data?.topRatedMovies ?? null).toBeNull();
    expect(errorCodes(down).length).toBeGreaterThan(0);
    expect(await unreadByRatings()).toBe(1);

    const restarted = await platform.restartService(ratings);
    // The new process catches up on the outbox as it starts, not at the next poll 60 s later.
    expect(await waitForRanking(target, movieId, true, ARRIVAL_BOUND_MS, restarted.url)).toBeLessThan(ARRIVAL_BOUND_MS);
    expect(await unreadByRatings()).toBe(0);
    // Through the router too, once it has taken the replica back (its own ejection back-off applies).
    await waitForRanking(target, movieId, true, 30_000);
    expect(await rankedIds(platform.genre)).toContain(movieId);
  });
});
