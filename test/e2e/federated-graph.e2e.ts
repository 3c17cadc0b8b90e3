import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEVELOPMENT_JWT_SECRET } from '../../router/src/config.js';
import { signDevToken } from '../../router/src/dev-token.js';
import { errorCodes, graphql, postRaw, type GraphQLResponse } from '../support/graphql-client.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.js';

let database: TestDatabase;
let platform: TestPlatform;
let url: string;
const token = (user: string) => signDevToken(user, DEVELOPMENT_JWT_SECRET);

beforeAll(async () => {
  database = await createTestDatabase('e2e_graph');
  platform = await startTestPlatform(database.url);
  url = platform.routerUrl;
});

afterAll(async () => {
  await platform?.stop();
  await database?.drop();
});

const MOVIE_STATS = `query($id: ID!) { movie(id: $id) { id title averageRating ratingCount myRating } }`;
const RATE = `mutation($id: ID!, $score: Int!) { rateMovie(movieId: $id, score: $score) { score movie { id averageRating ratingCount } } }`;

async function statsOf(id: string, auth?: string) {
  const response = await graphql(url, MOVIE_STATS, { id }, auth);
  expect(response.body.errors).toBeUndefined();
  return response.body.data.movie as { averageRating: number | null; ratingCount: number; myRating: number | null };
}

describe('the federated movie graph through the router', () => {
  it("runs only what it queries: no chunk server, so no demo video is encoded into the developer's .data/media", () => {
    // startTestPlatform's DEMO_VIDEOS=0 default: chunk servers (and the demo encoding they serve) start only on request.
    expect(platform.services.map((service) => service.name)).not.toContain('chunk-server');
    expect(platform.services.map((service) => service.name)).toEqual(expect.arrayContaining(['movies', 'people', 'ratings', 'viewing', 'router']));
  });

  it('answers one query that crosses all three subgraphs', async () => {
    const response = await graphql(
      url,
      `
        query ($genre: String!) {
          topRatedMovies(genre: $genre, limit: 5) {
            id
            title
            year
            genres
            averageRating
            ratingCount
            cast {
              order
              character
              person {
                id
                name
                movies {
                  id
                  title
                }
              }
            }
          }
        }
      `,
      { genre: platform.genre },
    );
    expect(response.status).toBe(200);
    expect(response.body.errors).toBeUndefined();
    const movies = response.body.data.topRatedMovies;
    expect(movies).toHaveLength(5);
    for (const movie of movies) {
      expect(movie.title).toEqual(expect.any(String)); // movies subgraph
      expect(movie.genres).toContain(platform.genre);
      expect(movie.ratingCount).toBeGreaterThan(0); // ratings subgraph
      expect(movie.averageRating).toBeGreaterThanOrEqual(1);
      expect(movie.cast.length).toBeGreaterThan(0); // people subgraph
      expect(movie.cast.map((c: { order: number }) => c.order)).toEqual([...movie.cast.map((c: { order: number }) => c.order)].sort((a, b) => a - b));
      // Person.movies comes back through the movies subgraph and includes this film.
      expect(movie.cast[0].person.movies.map((m: { id: string }) => m.id)).toContain(movie.id);
    }
  });

  it('a rating changes the next read of averageRating, and rating again replaces the score', async () => {
    const id = (
      await graphql(
        url,
        `
          {
            movies(first: 1) {
              edges {
                node {
                  id
                }
              }
            }
          }
        `,
      )
    ).body.data.movies.edges[0].node.id as string;
    const before = await statsOf(id);
    const alice = await token(`alice-${Date.now()}`);
    const total = (before.averageRating ?? 0) * before.ratingCount;

    const first = await graphql(url, RATE, { id, score: 2 }, alice);
    expect(first.body.errors).toBeUndefined();
    expect(first.body.data.rateMovie.score).toBe(2);
    const afterFirst = await statsOf(id, alice);
    expect(afterFirst.ratingCount).toBe(before.ratingCount + 1);
    expect(afterFirst.averageRating).toBeCloseTo((total + 2) / (before.ratingCount + 1), 9);
    expect(afterFirst.myRating).toBe(2);

    await graphql(url, RATE, { id, score: 10 }, alice);
    const afterSecond = await statsOf(id, alice);
    expect(afterSecond.ratingCount).toBe(before.ratingCount + 1);
    expect(afterSecond.averageRating).toBeCloseTo((total + 10) / (before.ratingCount + 1), 9);
    expect(afterSecond.myRating).toBe(10);
    // Another user sees the shared average but not alice's score.
    expect((await statsOf(id, await token('bob'))).myRating).toBeNull();
  });

  it('pages through a genre with cursors, without gaps or repeats', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 500; page++) {
      const response: GraphQLResponse = await graphql(
        url,
        `
          query ($genre: String, $after: String) {
            movies(genre: $genre, first: 100, after: $after) {
              edges {
                cursor
                node {
                  id
                  genres
                }
              }
              pageInfo {
                hasNextPage
                endCursor
              }
            }
          }
        `,
        { genre: platform.genre, after },
      );
      const { edges, pageInfo } = response.body.data.movies;
      for (const edge of edges) {
        expect(edge.node.genres).toContain(platform.genre);
        seen.push(edge.node.id);
      }
      if (!pageInfo.hasNextPage) break;
      after = pageInfo.endCursor;
    }
    expect(seen.length).toBeGreaterThan(100);
    expect(new Set(seen).size).toBe(seen.length);
    const ids = seen.map(Number);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });
});

describe('identity', () => {
  it('rateMovie without a token is UNAUTHENTICATED and writes nothing', async () => {
    const before = await statsOf('1');
    const response = await graphql(url, RATE, { id: '1', score: 7 });
    expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
    expect((await statsOf('1')).ratingCount).toBe(before.ratingCount);
  });

  it('a forged or expired token is refused with 401 and UNAUTHENTICATED', async () => {
    const forged = await signDevToken('mallory', 'x'.repeat(40));
    const expired = await signDevToken('alice', DEVELOPMENT_JWT_SECRET, Math.floor(Date.now() / 1000) - 60);
    for (const bad of [forged, expired, 'not-a-jwt']) {
      const response = await graphql(url, RATE, { id: '1', score: 7 }, bad);
      expect(response.status).toBe(401);
      expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
    }
  });
});

describe('bad input gets a stable code, never a 500, and changes nothing', () => {
  it('rejects out-of-range scores, unknown and malformed ids without writing', async () => {
    const auth = await token('carol');
    const before = await statsOf('1');
    for (const score of [0, 11, -3]) {
      expect(errorCodes(await graphql(url, RATE, { id: '1', score }, auth))).toEqual(['BAD_USER_INPUT']);
    }
    expect(errorCodes(await graphql(url, RATE, { id: '99999999', score: 5 }, auth))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await graphql(url, RATE, { id: 'abc', score: 5 }, auth))).toEqual(['BAD_USER_INPUT']);
    const after = await statsOf('1', auth);
    expect(after.ratingCount).toBe(before.ratingCount);
    expect(after.myRating).toBeNull();
  });

  it('unknown ids, unknown genres and oversized pages', async () => {
    const missing = await graphql(
      url,
      `
        {
          movie(id: "99999999") {
            title
          }
          person(id: "99999999") {
            name
          }
        }
      `,
    );
    expect(missing.status).toBe(200);
    expect(missing.body.data).toEqual({ movie: null, person: null });
    expect(errorCodes(missing).sort()).toEqual(['NOT_FOUND', 'NOT_FOUND']);

    expect(
      errorCodes(
        await graphql(
          url,
          `
            {
              movie(id: "-1") {
                title
              }
            }
          `,
        ),
      ),
    ).toEqual(['BAD_USER_INPUT']);
    expect(
      errorCodes(
        await graphql(
          url,
          `
            {
              topRatedMovies(genre: "No Such Genre") {
                id
              }
            }
          `,
        ),
      ),
    ).toEqual(['BAD_USER_INPUT']);
    expect(
      errorCodes(
        await graphql(
          url,
          `
            {
              movies(genre: "No Such Genre") {
                edges {
                  cursor
                }
              }
            }
          `,
        ),
      ),
    ).toEqual(['BAD_USER_INPUT']);
    expect(
      errorCodes(
        await graphql(
          url,
          `
            {
              movies(first: 1000) {
                edges {
                  cursor
                }
              }
            }
          `,
        ),
      ),
    ).toEqual(['BAD_USER_INPUT']);
    expect(
      errorCodes(
        await graphql(
          url,
          `
            {
              movies(after: "garbage") {
                edges {
                  cursor
                }
              }
            }
          `,
        ),
      ),
    ).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await graphql(url, `{ topRatedMovies(genre: "${platform.genre}", limit: 500) { id } }`))).toEqual(['BAD_USER_INPUT']);
  });

  it('malformed requests get 400s with codes; GraphQL request errors 200 for application/json (GraphQL over HTTP)', async () => {
    const json = await postRaw(url, '{"query": "{ genres }"');
    expect(json.status).toBe(400);
    expect(JSON.parse(json.text).errors[0].extensions.code).toBe('BAD_REQUEST');

    const syntax = await graphql(url, /* invalid GraphQL */ `{ movie(id: "1") { title }`);
    expect(syntax.status).toBe(200);
    expect(errorCodes(syntax)).toEqual(['GRAPHQL_PARSE_FAILED']);

    const unknownField = await graphql(
      url,
      /* invalid GraphQL */ `
        {
          movie(id: "1") {
            budget
          }
        }
      `,
    );
    expect(unknownField.status).toBe(200);
    expect(errorCodes(unknownField)).toEqual(['GRAPHQL_VALIDATION_FAILED']);

    const wrongType = await graphql(
      url,
      `
        query ($first: Int) {
          movies(first: $first) {
            edges {
              cursor
            }
          }
        }
      `,
      { first: 'ten' },
    );
    expect(wrongType.status).toBe(200);
    expect(errorCodes(wrongType)).toEqual(['BAD_USER_INPUT']);

    const notAnObject = await postRaw(url, '[1, 2, 3]');
    expect(notAnObject.status).toBeGreaterThanOrEqual(400);
    expect(notAnObject.status).toBeLessThan(500);
  });
});
