import path from 'node:path';
import { repoRoot } from '@cinema/data-tools';
import { startServiceProcess, type ServiceProcess } from '@cinema/kit/service-process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEVELOPMENT_JWT_SECRET } from '../../router/src/config.js';
import { signDevToken } from '../../router/src/dev-token.js';
import { graphql } from '../support/graphql-client.js';
import { testKeyPrefix } from '../support/redis-test-keys.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.js';

const STATS = `query Stats($id: ID!) { movie(id: $id) { id title averageRating ratingCount } }`;
const RATE = `mutation Rate($id: ID!, $score: Int!) { rateMovie(movieId: $id, score: $score) { score } }`;

const redisUrl = process.env.REDIS_URL;
let database: TestDatabase;
let platform: TestPlatform;
let second: ServiceProcess;
/** The platform's router and a second router process sharing its subgraphs and its Redis. */
let routers: [string, string];

beforeAll(async () => {
  if (!redisUrl) return;
  const prefix = testKeyPrefix('two-routers');
  database = await createTestDatabase('e2e_invalidation');
  platform = await startTestPlatform(database.url, { REPLICAS: '1', DEMO_VIDEOS: '0', REDIS_URL: redisUrl, CACHE_KEY_PREFIX: prefix });
  const urlsOf = (name: string) =>
    platform.services
      .filter((service) => service.name === name)
      .map((service) => `${service.url}/graphql`)
      .join(',');
  second = await startServiceProcess({
    name: 'router-2',
    entry: path.join(repoRoot, 'router', 'src', 'index.ts'),
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'warn',
      REDIS_URL: redisUrl,
      CACHE_KEY_PREFIX: prefix,
      SUBGRAPH_MOVIES_URLS: urlsOf('movies'),
      SUBGRAPH_PEOPLE_URLS: urlsOf('people'),
      SUBGRAPH_RATINGS_URLS: urlsOf('ratings'),
      SUBGRAPH_VIEWING_URLS: urlsOf('viewing'),
    },
  });
  routers = [platform.routerUrl, `${second.url}/graphql`];
});

afterAll(async () => {
  await second?.stop();
  await platform?.stop();
  await database?.drop();
});

async function stats(router: string, id: string) {
  const response = await graphql(router, STATS, { id });
  expect(response.body.errors).toBeUndefined();
  return { cache: response.headers.get('x-cache'), ...(response.body.data.movie as { averageRating: number; ratingCount: number }) };
}

describe.skipIf(!redisUrl)('invalidation across router processes sharing one Redis', () => {
  it('once rateMovie returned through one router, the other serves the new average at once', async () => {
    const movies = (
      await graphql(
        routers[0],
        `
          query Top($g: String!) {
            topRatedMovies(genre: $g, limit: 5) {
              id
            }
          }
        `,
        { g: platform.genre },
      )
    ).body.data.topRatedMovies as { id: string }[];
    for (const [round, { id }] of movies.entries()) {
      const [writer, reader] = round % 2 === 0 ? routers : [routers[1], routers[0]];
      // Warm both routers' view of the film: the second read of each is a hit from the shared Redis.
      const before = await stats(reader, id);
      expect((await stats(reader, id)).cache).toBe('HIT');
      expect((await stats(writer, id)).cache).toBe('HIT');

      const token = await signDevToken(`invalidator-${process.pid}-${round}`, DEVELOPMENT_JWT_SECRET);
      const rated = await graphql(writer, RATE, { id, score: 10 }, token);
      expect(rated.body.errors).toBeUndefined();

      const after = await stats(reader, id);
      expect(after.cache).toBe('MISS');
      expect(after.ratingCount).toBe(before.ratingCount + 1);
      expect(after.averageRating).toBeCloseTo((before.averageRating * before.ratingCount + 10) / (before.ratingCount + 1), 9);
      expect((await stats(writer, id)).ratingCount).toBe(before.ratingCount + 1);
    }
  });

  it('reads racing a rating through the other router never keep the old average once the rating returned', async () => {
    const id = (
      await graphql(
        routers[0],
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
    for (let round = 0; round < 5; round++) {
      const before = await stats(routers[1], id);
      let reading = true;
      // Readers hammer router 2 while router 1 writes: some of their executions straddle the write.
      const readers = Array.from({ length: 4 }, async () => {
        while (reading) await stats(routers[1], id);
      });
      const token = await signDevToken(`racer-${process.pid}-${round}`, DEVELOPMENT_JWT_SECRET);
      const rated = await graphql(routers[0], RATE, { id, score: 1 + round }, token);
      expect(rated.body.errors).toBeUndefined();
      const after = await stats(routers[1], id);
      reading = false;
      await Promise.all(readers);
      expect(after.ratingCount).toBe(before.ratingCount + 1);
      expect((await stats(routers[1], id)).ratingCount).toBe(before.ratingCount + 1);
    }
  });
});
