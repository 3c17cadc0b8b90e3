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

  it('topRatedMovies follows a genre change within 2 seconds', async () => {
    const genres: string[] = (await graphql(url, '{ genres }')).body.data.genres;
    const movieId = (await rankedIds(platform.genre))[0]!;
    const target = genres.find((genre) => genre !== platform.genre)!;
    expect(await rankedIds(target)).not.toContain(movieId);

    await setGenres(movieId, [target]);
    expect(await waitForRanking(target, movieId, true, 2_000)).toBeLessThan(2_000);
    expect(await waitForRanking(platform.genre, movieId, false, 2_000)).toBeLessThan(2_000);
  });

  it('a ratings service that was down during a change catches up when it comes back', async () => {
    const genres: string[] = (await graphql(url, '{ genres }')).body.data.genres;
    const movieId = (await rankedIds(platform.genre))[0]!;
    const target = genres.filter((genre) => genre !== platform.genre).at(-1)!;
    const ratings = platform.services.find((service) => service.name === 'ratings')!;

    process.kill(ratings.pid, 'SIGKILL');
    await ratings.exited;
    await setGenres(movieId, [target, platform.genre]);
    // Nobody is listening now: the event waits in the outbox.
    expect(await rankedIds(target)).toEqual([]);

    const restarted = await platform.restartService(ratings);
    // The new process catches up on the outbox as it starts: by the time it answers, the change is there.
    expect(await waitForRanking(target, movieId, true, 2_000, restarted.url)).toBeLessThan(2_000);
    // Through the router too, once it has taken the replica back (its own ejection back-off applies).
    await waitForRanking(target, movieId, true, 15_000);
    expect(await rankedIds(platform.genre)).toContain(movieId);
  });
});
