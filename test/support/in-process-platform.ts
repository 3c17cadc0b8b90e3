import { createDatabase } from '@cinema/db';
import { seedDatabase } from '@cinema/data-tools';
import { DEVELOPMENT_JWT_SECRET, DEVELOPMENT_SUBGRAPH_SECRET } from '@cinema/kit/config';
import type { LoaderOptions } from '@cinema/kit/loaders';
import { createLogger } from '@cinema/kit/logging';
import { closeGracefully, listen } from '@cinema/kit/process';
import { RedisConnection } from '@cinema/kit/cache';
import type { Server } from 'node:http';
import type { Kysely, LogEvent } from 'kysely';
import { loadRouterConfig } from '../../router/src/config.js';
import { createRouter } from '../../router/src/server.js';
import type { MoviesDatabase } from '../../subgraphs/movies/src/db/database.js';
import { createMovieCache } from '../../subgraphs/movies/src/movie-cache.js';
import { createMoviesServer } from '../../subgraphs/movies/src/server.js';
import { createPersonCache } from '../../subgraphs/people/src/person-cache.js';
import type { PeopleDatabase } from '../../subgraphs/people/src/db/database.js';
import { createPeopleServer } from '../../subgraphs/people/src/server.js';
import type { RatingsDatabase } from '../../subgraphs/ratings/src/db/database.js';
import { createRatingsServer } from '../../subgraphs/ratings/src/server.js';
import type { ViewingDatabase } from '../../subgraphs/viewing/src/db/database.js';
import { createViewingServer } from '../../subgraphs/viewing/src/server.js';

/** SQL statements each subgraph sent since the last {@link InProcessPlatform.resetStatements}. */
export interface StatementCounts {
  movies: number;
  people: number;
  ratings: number;
  viewing: number;
}

export interface InProcessPlatform {
  /** `http://127.0.0.1:<port>/graphql` of the router. */
  routerUrl: string;
  statements(): StatementCounts;
  resetStatements(): void;
  /**
   * Another router over the same subgraphs, with settings of its own on top of the defaults (e.g. a rate limit, an
   * unreachable Redis); stopped with the platform. Resolves with its `/graphql` URL.
   */
  startRouter(routerEnv: Record<string, string>): Promise<string>;
  /** The subgraphs' HTTP servers, for tests that cut their connections. */
  servers: Record<keyof StatementCounts, Server>;
  stop(): Promise<void>;
}

export interface InProcessPlatformOptions {
  /** DataLoader tuning for every subgraph (`{ maxBatchSize: 1 }`: no batching). */
  loaderOptions?: LoaderOptions;
  /** Extra router settings, e.g. `RESPONSE_CACHE: 'false'`. */
  routerEnv?: Record<string, string>;
  /** The movies and people entity caches, on this Redis under this key prefix (a test's own); none when unset. */
  entityCaches?: { redisUrl: string; keyPrefix: string };
}

/**
 * Every subgraph and the router in this process, each subgraph on its own Kysely whose log counts the SQL
 * statements it sends (health probes' `select 1` aside), over a database the caller seeded with
 * {@link seedSmallCatalogue}. For tests and benchmarks that measure what one request costs the database.
 */
export async function startInProcessPlatform(databaseUrl: string, options: InProcessPlatformOptions = {}): Promise<InProcessPlatform> {
  const logger = createLogger('in-process', 'silent');
  const counts: StatementCounts = { movies: 0, people: 0, ratings: 0, viewing: 0 };
  const counting = <DB>(schema: keyof StatementCounts): Kysely<DB> =>
    createDatabase<DB>({
      connectionString: databaseUrl,
      schema,
      poolSize: 4,
      log: (event: LogEvent) => {
        if (event.level === 'query' && event.query.sql.trim().toLowerCase() !== 'select 1') counts[schema] += 1;
      },
    });
  const databases = {
    movies: counting<MoviesDatabase>('movies'),
    people: counting<PeopleDatabase>('people'),
    ratings: counting<RatingsDatabase>('ratings'),
    viewing: counting<ViewingDatabase>('viewing'),
  };
  const loaderOptions = options.loaderOptions ?? {};
  let cacheRedis: RedisConnection | undefined;
  if (options.entityCaches) {
    cacheRedis = new RedisConnection({ url: options.entityCaches.redisUrl, logger, name: 'entity-caches' });
    const connected = new Promise<void>((resolve) => cacheRedis!.onReady(resolve));
    cacheRedis.connect();
    await connected;
  }
  const caches = options.entityCaches
    ? {
        movieCache: createMovieCache({ redis: cacheRedis, keyPrefix: options.entityCaches.keyPrefix, ttlSeconds: 300 }),
        personCache: createPersonCache({ redis: cacheRedis, keyPrefix: options.entityCaches.keyPrefix, ttlSeconds: 300 }),
      }
    : undefined;
  const movies = await createMoviesServer({
    db: databases.movies,
    logger,
    development: false,
    subgraphSecret: DEVELOPMENT_SUBGRAPH_SECRET,
    loaderOptions,
    ...(caches ? { movieCache: caches.movieCache } : {}),
  });
  const people = await createPeopleServer({
    db: databases.people,
    logger,
    development: false,
    subgraphSecret: DEVELOPMENT_SUBGRAPH_SECRET,
    loaderOptions,
    ...(caches ? { personCache: caches.personCache } : {}),
  });
  const moviesUrl = `http://127.0.0.1:${await listen(movies.server, 0)}`;
  const peopleUrl = `http://127.0.0.1:${await listen(people.server, 0)}`;
  const ratings = await createRatingsServer({
    db: databases.ratings,
    logger,
    development: false,
    subgraphSecret: DEVELOPMENT_SUBGRAPH_SECRET,
    jwtSecret: DEVELOPMENT_JWT_SECRET,
    moviesFeedUrls: [moviesUrl],
    catalogueSyncIntervalMs: 60_000,
    loaderOptions,
  });
  const ratingsUrl = `http://127.0.0.1:${await listen(ratings.server, 0)}`;
  const viewing = await createViewingServer({
    db: databases.viewing,
    logger,
    development: false,
    subgraphSecret: DEVELOPMENT_SUBGRAPH_SECRET,
    moviesFeedUrls: [moviesUrl],
    catalogueSyncIntervalMs: 60_000,
    loaderOptions,
  });
  const viewingUrl = `http://127.0.0.1:${await listen(viewing.server, 0)}`;
  await Promise.all([ratings.catalogueSync.syncOnce(), viewing.catalogueSync.syncOnce()]);
  const routerSettings = {
    NODE_ENV: 'test',
    PORT: '0',
    LOG_LEVEL: 'silent',
    SUBGRAPH_MOVIES_URLS: `${moviesUrl}/graphql`,
    SUBGRAPH_PEOPLE_URLS: `${peopleUrl}/graphql`,
    SUBGRAPH_RATINGS_URLS: `${ratingsUrl}/graphql`,
    SUBGRAPH_VIEWING_URLS: `${viewingUrl}/graphql`,
    SUBGRAPH_HEALTH_INTERVAL_MS: '60000',
    // Tests here count statements and cache results, not timeouts: a busy machine must not turn them into errors.
    SUBGRAPH_TIMEOUT_MS: '30000',
    // Tests send load from one address; rate limits have tests of their own.
    RATE_LIMIT: '0',
  };
  const routers: Awaited<ReturnType<typeof createRouter>>[] = [];
  const startRouter = async (routerEnv: Record<string, string>): Promise<string> => {
    const router = await createRouter({ config: loadRouterConfig({ ...routerSettings, ...routerEnv }), logger });
    routers.push(router);
    return `http://127.0.0.1:${await listen(router.server, 0)}/graphql`;
  };
  const routerUrl = await startRouter(options.routerEnv ?? {});
  return {
    routerUrl,
    startRouter,
    servers: { movies: movies.server, people: people.server, ratings: ratings.server, viewing: viewing.server },
    statements: () => ({ ...counts }),
    resetStatements: () => {
      counts.movies = 0;
      counts.people = 0;
      counts.ratings = 0;
      counts.viewing = 0;
    },
    stop: async () => {
      for (const router of routers) {
        await closeGracefully(router.server, 1_000);
        await router.stop();
      }
      for (const service of [movies, people, ratings, viewing]) {
        await closeGracefully(service.server, 1_000);
        await service.stop();
      }
      await Promise.all(Object.values(databases).map((db) => db.destroy()));
      await cacheRedis?.close();
    },
  };
}

/** A small deterministic catalogue (400 movies, 1,500 people, 20,000 ratings): seeds in a few seconds. */
export async function seedSmallCatalogue(databaseUrl: string): Promise<void> {
  await seedDatabase(databaseUrl, { scale: { movies: 400, people: 1_500, users: 500, ratings: 20_000 } });
}
