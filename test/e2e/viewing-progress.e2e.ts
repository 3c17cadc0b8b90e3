import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEVELOPMENT_JWT_SECRET } from '../../router/src/config.js';
import { signDevToken } from '../../router/src/dev-token.js';
import { errorCodes, graphql } from '../support/graphql-client.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.js';

// No `movie` in the selection, as a player sends it: what the router invalidates then comes from the viewing
// service's changedEntities alone (a selected movie would be invalidated for everyone as part of the response).
const RECORD = `mutation RecordProgress($id: ID!, $position: Float!, $duration: Float!) {
  recordProgress(movieId: $id, positionSeconds: $position, durationSeconds: $duration) { id positionSeconds watched }
}`;
const PUBLIC = `query PublicMovie($id: ID!) { movie(id: $id) { id title year } }`;
const MINE = `query MovieProgress($id: ID!) { movie(id: $id) { id title myProgress { positionSeconds durationSeconds watched } } }`;
const CONTINUE = `query ContinueWatching($first: Int, $after: String) {
  me { id continueWatching(first: $first, after: $after) { edges { cursor node { positionSeconds updatedAt movie { id title } } } pageInfo { hasNextPage endCursor } } }
}`;
const DURATION = 7200;

let database: TestDatabase;
let platform: TestPlatform;
let movieIds: string[] = [];
const tokens = { alice: '', bob: '', carol: '' };

beforeAll(async () => {
  database = await createTestDatabase('e2e_viewing');
  platform = await startTestPlatform(database.url, { REPLICAS: '1', DEMO_VIDEOS: '0' });
  for (const user of ['alice', 'bob', 'carol'] as const) tokens[user] = await signDevToken(`${user}-viewing-${process.pid}`, DEVELOPMENT_JWT_SECRET);
  const movies = await graphql(
    platform.routerUrl,
    `
      query Catalogue {
        movies(first: 12) {
          edges {
            node {
              id
            }
          }
        }
      }
    `,
  );
  movieIds = movies.body.data.movies.edges.map((edge: { node: { id: string } }) => edge.node.id);
  expect(movieIds).toHaveLength(12);
});

afterAll(async () => {
  await platform?.stop();
  await database?.drop();
});

const record = async (token: string, id: string, position: number) => {
  const response = await graphql(platform.routerUrl, RECORD, { id, position, duration: DURATION }, token);
  expect(response.body.errors, JSON.stringify(response.body.errors)).toBeUndefined();
  return response;
};

describe('watch progress through the router', () => {
  it('answers UNAUTHENTICATED, BAD_USER_INPUT and NOT_FOUND with their codes, never a 5xx', async () => {
    const id = movieIds[0]!;
    const cases: [string | undefined, Record<string, unknown>, string][] = [
      [undefined, { id, position: 10, duration: 100 }, 'UNAUTHENTICATED'],
      [tokens.carol, { id, position: -1, duration: 100 }, 'BAD_USER_INPUT'],
      [tokens.carol, { id, position: 101, duration: 100 }, 'BAD_USER_INPUT'],
      [tokens.carol, { id, position: 0, duration: 0 }, 'BAD_USER_INPUT'],
      [tokens.carol, { id: 'x1', position: 1, duration: 100 }, 'BAD_USER_INPUT'],
      [tokens.carol, { id: '2000000000', position: 1, duration: 100 }, 'NOT_FOUND'],
    ];
    for (const [token, variables, code] of cases) {
      const response = await graphql(platform.routerUrl, RECORD, variables, token);
      expect(response.status, code).toBeLessThan(500);
      expect(errorCodes(response), JSON.stringify(variables)).toEqual([code]);
    }
    expect(errorCodes(await graphql(platform.routerUrl, CONTINUE, { first: 101 }, tokens.carol))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await graphql(platform.routerUrl, CONTINUE, { first: 5, after: 'bogus' }, tokens.carol))).toEqual(['BAD_USER_INPUT']);
    // Nothing was written by the refused calls.
    const mine = await graphql(platform.routerUrl, MINE, { id }, tokens.carol);
    expect(mine.body.data.movie.myProgress).toBeNull();
  });

  it('invalidates the cached progress as soon as recordProgress answers', async () => {
    const id = movieIds[1]!;
    // Never played: not cached, so the first recorded position shows at once.
    const before = await graphql(platform.routerUrl, MINE, { id }, tokens.carol);
    expect(before.body.data.movie.myProgress).toBeNull();
    await record(tokens.carol, id, 100);
    const first = await graphql(platform.routerUrl, MINE, { id }, tokens.carol);
    expect(first.body.data.movie.myProgress).toEqual({ positionSeconds: 100, durationSeconds: DURATION, watched: false });
    const cached = await graphql(platform.routerUrl, MINE, { id }, tokens.carol);
    expect(cached.headers.get('x-cache')).toBe('HIT');
    expect(cached.body.data.movie.myProgress.positionSeconds).toBe(100);

    // The movie's public data, cached for everyone, survives a further progress write: only carol's entry goes.
    await graphql(platform.routerUrl, PUBLIC, { id });
    expect((await graphql(platform.routerUrl, PUBLIC, { id })).headers.get('x-cache')).toBe('HIT');
    await record(tokens.carol, id, 6900); // past 95 %: watched
    expect((await graphql(platform.routerUrl, PUBLIC, { id })).headers.get('x-cache')).toBe('HIT');
    const after = await graphql(platform.routerUrl, MINE, { id }, tokens.carol);
    expect(after.headers.get('x-cache')).toBe('MISS');
    expect(after.body.data.movie.myProgress).toEqual({ positionSeconds: 6900, durationSeconds: DURATION, watched: true });
    expect((await graphql(platform.routerUrl, MINE, { id }, tokens.carol)).headers.get('x-cache')).toBe('HIT');
  });

  it('lists continue watching most recent first across pages, finished films left out', async () => {
    const order = movieIds.slice(2, 7);
    for (const id of order) await record(tokens.carol, id, 60);
    await record(tokens.carol, order[1]!, 7000); // finished
    const seen: string[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 10; pages++) {
      const response = await graphql(platform.routerUrl, CONTINUE, { first: 2, after }, tokens.carol);
      expect(response.body.errors).toBeUndefined();
      const connection: { edges: { node: { movie: { id: string; title: string } } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } =
        response.body.data.me.continueWatching;
      for (const edge of connection.edges) expect(edge.node.movie.title.length).toBeGreaterThan(0);
      seen.push(...connection.edges.map((edge) => edge.node.movie.id));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    // movieIds[1] was finished in the previous test; movieIds[0] was never played by carol.
    expect(seen).toEqual([order[4], order[3], order[2], order[0]]);
  });

  it('never hands one viewer another’s progress through the response cache, under concurrent reads and writes', async () => {
    const ids = movieIds.slice(4, 12);
    // Disjoint position ranges make any leak visible: alice below 1,000 s, bob from 2,000 s.
    const latest = { alice: new Map<string, number>(), bob: new Map<string, number>() };
    for (const [index, id] of ids.entries()) {
      await record(tokens.alice, id, 100 + index);
      latest.alice.set(id, 100 + index);
      await record(tokens.bob, id, 2000 + index);
      latest.bob.set(id, 2000 + index);
    }
    type Caller = 'alice' | 'bob' | 'anonymous';
    const own = (caller: Caller, position: number | null | undefined) =>
      caller === 'anonymous'
        ? position === null
        : caller === 'alice'
          ? position !== null && position !== undefined && position < 1000
          : position !== null && position !== undefined && position >= 2000;
    let leaks = 0;
    let failures = 0;
    const results = new Map<string, number>();
    for (let round = 0; round < 10; round++) {
      const writes = (['alice', 'bob'] as const).map(async (user) => {
        const id = ids[round % ids.length]!;
        const position = (user === 'alice' ? 500 : 3000) + round;
        await record(tokens[user], id, position);
        latest[user].set(id, position);
      });
      const reads = Array.from({ length: 30 }, async (_, index) => {
        const caller = (['alice', 'bob', 'anonymous'] as const)[(round + index) % 3]!;
        const token = caller === 'anonymous' ? undefined : tokens[caller];
        const id = ids[index % ids.length]!;
        if (index % 5 === 4 && caller !== 'anonymous') {
          const response = await graphql(platform.routerUrl, CONTINUE, { first: 20 }, token);
          if (response.status !== 200 || response.body.errors) return void (failures += 1);
          for (const edge of response.body.data.me.continueWatching.edges as { node: { positionSeconds: number } }[])
            if (!own(caller, edge.node.positionSeconds)) leaks += 1;
          return;
        }
        const response = await graphql(platform.routerUrl, MINE, { id }, token);
        const result = response.headers.get('x-cache') ?? 'none';
        results.set(result, (results.get(result) ?? 0) + 1);
        if (response.status !== 200 || response.body.errors) return void (failures += 1);
        if (!own(caller, response.body.data.movie.myProgress?.positionSeconds ?? null)) leaks += 1;
      });
      await Promise.all([...writes, ...reads]);
      // Once a round's writes have answered, every viewer reads their own latest position.
      for (const user of ['alice', 'bob'] as const) {
        const id = ids[round % ids.length]!;
        const response = await graphql(platform.routerUrl, MINE, { id }, tokens[user]);
        expect(response.body.data.movie.myProgress.positionSeconds, `${user} round ${round}`).toBe(latest[user].get(id));
      }
    }
    expect(failures).toBe(0);
    expect(leaks).toBe(0);
    // The cache was in play for these private answers, not bypassed.
    expect(results.get('HIT') ?? 0).toBeGreaterThan(50);
  });
});
