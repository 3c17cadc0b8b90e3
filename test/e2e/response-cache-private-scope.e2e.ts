import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEVELOPMENT_JWT_SECRET } from '../../router/src/config.js';
import { signDevToken } from '../../router/src/dev-token.js';
import { graphql } from '../support/graphql-client.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.js';

const RATE = `mutation Rate($id: ID!, $score: Int!) { rateMovie(movieId: $id, score: $score) { score } }`;
const ONE = `query One($id: ID!) { movie(id: $id) { id title averageRating myRating } }`;
const TOP = `query Top($genre: String!) { topRatedMovies(genre: $genre, limit: 20) { id myRating ratingCount } }`;
const PUBLIC = `query Public($id: ID!) { movie(id: $id) { id title averageRating ratingCount } }`;

let database: TestDatabase;
let platform: TestPlatform;
const users = { alice: '', bob: '' };
/** Each user's score per movie id; everything else must read null. */
const scores: Record<'alice' | 'bob', Map<string, number>> = { alice: new Map(), bob: new Map() };
let movieIds: string[] = [];

beforeAll(async () => {
  database = await createTestDatabase('e2e_private_cache');
  platform = await startTestPlatform(database.url, { REPLICAS: '1', DEMO_VIDEOS: '0' });
  users.alice = await signDevToken(`alice-private-${process.pid}`, DEVELOPMENT_JWT_SECRET);
  users.bob = await signDevToken(`bob-private-${process.pid}`, DEVELOPMENT_JWT_SECRET);
  const top = await graphql(platform.routerUrl, TOP, { genre: platform.genre });
  movieIds = top.body.data.topRatedMovies.slice(0, 8).map((movie: { id: string }) => movie.id);
  for (const [index, id] of movieIds.entries()) {
    // Different scores for the two users on every film, so any leak shows.
    for (const [user, score] of [
      ['alice', 1 + (index % 5)],
      ['bob', 6 + (index % 5)],
    ] as const) {
      const response = await graphql(platform.routerUrl, RATE, { id, score }, users[user]);
      expect(response.body.errors).toBeUndefined();
      scores[user].set(id, score);
    }
  }
});

afterAll(async () => {
  await platform?.stop();
  await database?.drop();
});

type Caller = 'alice' | 'bob' | 'anonymous';
const expected = (caller: Caller, id: string): number | null => (caller === 'anonymous' ? null : (scores[caller].get(id) ?? null));

describe('PRIVATE data in the response cache', () => {
  it('never hands one user another user’s myRating, under concurrent mixed requests', async () => {
    const callers: Caller[] = ['alice', 'bob', 'anonymous'];
    let leaks = 0;
    let failures = 0;
    const cacheResults = new Map<string, number>();
    for (let round = 0; round < 12; round++) {
      await Promise.all(
        Array.from({ length: 30 }, async (_, index) => {
          const caller = callers[(round + index) % 3]!;
          const token = caller === 'anonymous' ? undefined : users[caller];
          const id = movieIds[index % movieIds.length]!;
          const kind = index % 3;
          const response =
            kind === 0
              ? await graphql(platform.routerUrl, ONE, { id }, token)
              : kind === 1
                ? await graphql(platform.routerUrl, TOP, { genre: platform.genre }, token)
                : await graphql(platform.routerUrl, PUBLIC, { id }, token);
          const result = response.headers.get('x-cache') ?? 'none';
          cacheResults.set(result, (cacheResults.get(result) ?? 0) + 1);
          if (response.status !== 200 || response.body.errors) {
            failures += 1;
            return;
          }
          const movies = kind === 1 ? response.body.data.topRatedMovies : [response.body.data.movie];
          for (const movie of movies as { id: string; myRating?: number | null }[]) {
            if ('myRating' in movie && movie.myRating !== expected(caller, movie.id)) leaks += 1;
          }
        }),
      );
    }
    expect(failures).toBe(0);
    expect(leaks).toBe(0);
    // The cache was in play: most of these were answered from it, private ones included.
    expect(cacheResults.get('HIT') ?? 0).toBeGreaterThan(100);
  });
});
