import { createDatabase } from '@cinema/db';
import { CHANGED_ENTITIES_EXTENSION } from '@cinema/kit/changed-entities';
import { DEVELOPMENT_SUBGRAPH_SECRET } from '@cinema/kit/config';
import { createLogger } from '@cinema/kit/logging';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, type GraphQLResponse } from '../../../test/support/graphql-client.js';
import { querySubgraph, startSubgraph, type RunningSubgraph } from '../../../test/support/subgraph-harness.js';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js';
import { applyCatalogueEvents } from '../src/catalogue-projection.repository.js';
import type { ViewingDatabase } from '../src/db/database.js';
import { assertValidProgress } from '../src/watch-progress-input.js';
import { createViewingServer } from '../src/server.js';
import { watchProgressId } from '../src/watch-progress-id.js';

let database: TestDatabase;
let db: Kysely<ViewingDatabase>;
let viewing: RunningSubgraph;

const RECORD = `mutation Record($movieId: ID!, $position: Float!, $duration: Float!) {
  recordProgress(movieId: $movieId, positionSeconds: $position, durationSeconds: $duration) { id positionSeconds durationSeconds watched updatedAt movie { id } }
}`;
const MY_PROGRESS = `query MyProgress($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Movie { id myProgress { positionSeconds watched } } }
}`;
const CONTINUE = `query Continue($representations: [_Any!]!, $first: Int, $after: String) {
  _entities(representations: $representations) { ... on User { continueWatching(first: $first, after: $after) { edges { cursor node { positionSeconds movie { id } } } pageInfo { hasNextPage endCursor } } } }
}`;
const hana = { userId: 'hana', roles: [] };
const ivan = { userId: 'ivan', roles: [] };

beforeAll(async () => {
  database = await createTestDatabase('viewing_subgraph');
  db = createDatabase<ViewingDatabase>({ connectionString: database.url, schema: 'viewing', poolSize: 4 });
  await applyCatalogueEvents(
    db,
    Array.from({ length: 10 }, (_, i) => ({ seq: i + 1, kind: 'movie.upserted' as const, movieId: i + 1 })),
  );
  const server = await createViewingServer({
    db,
    logger: createLogger('viewing', 'silent'),
    development: false,
    subgraphSecret: DEVELOPMENT_SUBGRAPH_SECRET,
    moviesFeedUrls: ['http://127.0.0.1:9'],
    catalogueSyncIntervalMs: 60_000,
  });
  viewing = await startSubgraph(server);
});

afterAll(async () => {
  await viewing?.close();
  await db?.destroy();
  await database?.drop();
});

describe('recordProgress', () => {
  it('answers UNAUTHENTICATED without a signed-in user, writing nothing', async () => {
    const response = await querySubgraph(viewing.url, RECORD, { movieId: '1', position: 10, duration: 100 });
    expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
    expect(await db.selectFrom('watch_progress').selectAll().execute()).toEqual([]);
  });

  it.each([
    ['a negative position', { movieId: '1', position: -1, duration: 100 }, 'positionSeconds'],
    ['a position past the duration', { movieId: '1', position: 101, duration: 100 }, 'positionSeconds'],
    ['a zero duration', { movieId: '1', position: 0, duration: 0 }, 'durationSeconds'],
    ['a negative duration', { movieId: '1', position: 0, duration: -5 }, 'durationSeconds'],
    ['an absurd duration', { movieId: '1', position: 0, duration: 1e12 }, 'durationSeconds'],
    ['a malformed movie id', { movieId: 'abc', position: 1, duration: 100 }, 'movieId'],
  ])('answers BAD_USER_INPUT for %s, naming the argument', async (_, variables, argumentName) => {
    const response = await querySubgraph(viewing.url, RECORD, variables, hana);
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.body.errors?.[0]?.extensions?.argumentName).toBe(argumentName);
    expect(await db.selectFrom('watch_progress').selectAll().execute()).toEqual([]);
  });

  it('refuses NaN and infinite values (which JSON cannot carry, but a resolver must still never store)', () => {
    for (const [position, duration] of [
      [Number.NaN, 100],
      [10, Number.NaN],
      [10, Number.POSITIVE_INFINITY],
      [Number.POSITIVE_INFINITY, 100],
    ] as const) {
      expect(() => assertValidProgress(position, duration)).toThrow(/must/);
    }
  });

  it('answers NOT_FOUND for a movie the catalogue does not have', async () => {
    const response = await querySubgraph(viewing.url, RECORD, { movieId: '999', position: 1, duration: 100 }, hana);
    expect(errorCodes(response)).toEqual(['NOT_FOUND']);
  });

  it('reports what changed for the router’s cache: the user’s progress, and the movie on the first write only', async () => {
    const first = await querySubgraph(viewing.url, RECORD, { movieId: '2', position: 30, duration: 100 }, hana);
    expect(first.body.errors).toBeUndefined();
    expect(first.body.data.recordProgress).toMatchObject({
      id: watchProgressId('hana', 2),
      positionSeconds: 30,
      durationSeconds: 100,
      watched: false,
      movie: { id: '2' },
    });
    expect(new Date(first.body.data.recordProgress.updatedAt).toISOString()).toBe(first.body.data.recordProgress.updatedAt);
    const changed = (response: typeof first) => (response.body as { extensions?: Record<string, unknown> }).extensions?.[CHANGED_ENTITIES_EXTENSION];
    expect(changed(first)).toEqual([`WatchProgress:${watchProgressId('hana', 2)}`, 'Movie:2']);
    const second = await querySubgraph(viewing.url, RECORD, { movieId: '2', position: 96, duration: 100 }, hana);
    expect(second.body.data.recordProgress.watched).toBe(true);
    expect(changed(second)).toEqual([`WatchProgress:${watchProgressId('hana', 2)}`]);
  });
});

describe('Movie.myProgress', () => {
  it('is the caller’s own progress, cached privately; a signed-in "never played" is not cached at all', async () => {
    await querySubgraph(viewing.url, RECORD, { movieId: '3', position: 12, duration: 100 }, ivan);
    const representations = [{ __typename: 'Movie', id: '3' }];
    const mine = await querySubgraph(viewing.url, MY_PROGRESS, { representations }, ivan);
    expect(mine.body.data._entities).toEqual([{ id: '3', myProgress: { positionSeconds: 12, watched: false } }]);
    expect(mine.headers.get('cache-control')).toBe('max-age=300, private');
    const theirs = await querySubgraph(viewing.url, MY_PROGRESS, { representations }, hana);
    expect(theirs.body.data._entities).toEqual([{ id: '3', myProgress: null }]);
    expect(theirs.headers.get('cache-control')).toBe('no-store');
    const anonymous = await querySubgraph(viewing.url, MY_PROGRESS, { representations });
    expect(anonymous.body.data._entities).toEqual([{ id: '3', myProgress: null }]);
    expect(anonymous.headers.get('cache-control')).toBe('max-age=300, private');
  });
});

describe('User.continueWatching', () => {
  const walk = async (first: number) => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 10; pages++) {
      const response: GraphQLResponse = await querySubgraph(
        viewing.url,
        CONTINUE,
        { representations: [{ __typename: 'User', id: 'jo' }], first, after },
        { userId: 'jo', roles: [] },
      );
      expect(response.body.errors).toBeUndefined();
      const connection: { edges: { node: { movie: { id: string } } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } =
        response.body.data._entities[0].continueWatching;
      seen.push(...connection.edges.map((edge) => edge.node.movie.id));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    return seen;
  };

  it('pages through the caller’s unfinished movies, most recent first', async () => {
    for (const movieId of [5, 6, 7, 8, 9])
      await querySubgraph(viewing.url, RECORD, { movieId: String(movieId), position: 10, duration: 100 }, { userId: 'jo', roles: [] });
    await querySubgraph(viewing.url, RECORD, { movieId: '7', position: 99, duration: 100 }, { userId: 'jo', roles: [] });
    expect(await walk(2)).toEqual(['9', '8', '6', '5']);
    expect(await walk(100)).toEqual(['9', '8', '6', '5']);
  });

  it('refuses bad cursors, oversized pages and other users’ lists', async () => {
    const ask = (variables: Record<string, unknown>, identity = { userId: 'jo', roles: [] as string[] }) =>
      querySubgraph(viewing.url, CONTINUE, { representations: [{ __typename: 'User', id: 'jo' }], ...variables }, identity);
    expect(errorCodes(await ask({ first: 101 }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await ask({ first: -1 }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await ask({ first: 2, after: 'not-a-cursor' }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await ask({ first: 2 }, hana))).toEqual(['FORBIDDEN']);
  });
});
