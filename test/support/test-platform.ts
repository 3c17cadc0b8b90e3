import { setTimeout as sleep } from 'node:timers/promises';
import { createDatabase } from '@cinema/db';
import { sql } from 'kysely';
import { loadLauncherConfig } from '../../launcher/src/config.js';
import { startPlatform, type RunningPlatform, type StartPlatformOptions } from '../../launcher/src/start-platform.js';
import { graphql } from './graphql-client.js';
import { deleteTestKeys, testKeyPrefix } from './redis-test-keys.js';

export interface TestPlatform extends RunningPlatform {
  /** A genre the catalogue's projection in the ratings service already knows. */
  genre: string;
}

/**
 * The real platform as `npm start` runs it (seeded database, every subgraph and the router as separate processes
 * on ports the OS picks), on a database of the test's own, with no rate limit (tests send load; rate limits have
 * their own tests) and no demo videos or chunk servers unless the test asks (encoding two-minute 720p demos would
 * cost minutes of CPU and write into the developer's own `.data/media`). Resolves once the ratings service's genre projection
 * has caught up with the catalogue, so rankings are queryable, and the viewing service's catalogue projection too, so
 * progress can be recorded on any movie.
 */
export async function startTestPlatform(databaseUrl: string, env: Record<string, string> = {}, options: StartPlatformOptions = {}): Promise<TestPlatform> {
  // Caches in Redis (CI sets REDIS_URL) under a prefix of this platform's own, deleted when it stops.
  const config = loadLauncherConfig({
    DATABASE_URL: databaseUrl,
    PORT: '0',
    LOG_LEVEL: 'warn',
    CACHE_KEY_PREFIX: testKeyPrefix('platform'),
    RATE_LIMIT: '0',
    DEMO_VIDEOS: '0',
    ...env,
  });
  const started = await startPlatform(config, () => undefined, options);
  const platform: RunningPlatform = {
    ...started,
    stop: async () => {
      await started.stop();
      const redisUrl = config.REDIS_URL ?? process.env.REDIS_URL;
      if (redisUrl && config.CACHE_KEY_PREFIX) await deleteTestKeys(redisUrl, config.CACHE_KEY_PREFIX).catch(() => undefined);
    },
  };
  try {
    const genres = await graphql<{ genres: string[] }>(platform.routerUrl, '{ genres }');
    const genre = genres.body.data?.genres[0];
    if (!genre) throw new Error('seeded catalogue has no genres');
    for (let attempt = 0; ; attempt++) {
      const top = await graphql<{ topRatedMovies: unknown[] }>(platform.routerUrl, 'query($g: String!) { topRatedMovies(genre: $g, limit: 1) { id } }', {
        g: genre,
      });
      if ((top.body.data?.topRatedMovies.length ?? 0) > 0) break;
      if (attempt > 100) throw new Error('ratings projection did not catch up with the catalogue');
      await sleep(200);
    }
    await waitForViewingProjection(platform.databaseUrl);
    return { ...platform, genre };
  } catch (error) {
    await platform.stop();
    throw error;
  }
}

/**
 * Waits until the viewing service has read the catalogue feed up to its last event. Read from the database: the graph
 * cannot tell "unknown movie" from "projection behind" without writing progress.
 */
async function waitForViewingProjection(databaseUrl: string): Promise<void> {
  const db = createDatabase<unknown>({ connectionString: databaseUrl, schema: 'public', poolSize: 1, applicationName: 'test-platform' });
  try {
    for (let attempt = 0; ; attempt++) {
      const { rows } = await sql<{ behind: boolean }>`
        select coalesce((select max(seq) from movies.catalogue_events), 0)
             > coalesce((select last_seq from viewing.feed_cursors where feed = 'movies.catalogue'), 0) as behind`.execute(db);
      if (!rows[0]?.behind) return;
      if (attempt > 150) throw new Error('viewing projection did not catch up with the catalogue');
      await sleep(200);
    }
  } finally {
    await db.destroy();
  }
}
