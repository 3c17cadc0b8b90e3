import { createServiceDatabase } from '@cinema/db';
import { RedisConnection } from '@cinema/kit/cache';
import { loadConfigOrExit } from '@cinema/kit/config';
import { createLogger } from '@cinema/kit/logging';
import { ServiceMetrics } from '@cinema/kit/metrics';
import { runService } from '@cinema/kit/process';
import { loadMoviesConfig } from './config.js';
import type { MoviesDatabase } from './db/database.js';
import { ChunkServerPool } from './chunk-server-pool.js';
import { createMovieCache } from './movie-cache.js';
import { createMoviesServer } from './server.js';
import { StreamLinks } from './stream-links.js';

const config = loadConfigOrExit(() => loadMoviesConfig());
const logger = createLogger('movies', config.LOG_LEVEL);
const metrics = new ServiceMetrics();
const db = createServiceDatabase<MoviesDatabase>('movies', config, { logger, metrics });
const pool = new ChunkServerPool({
  urls: config.CHUNK_SERVER_URLS,
  balanceFactor: config.STREAM_BALANCE_FACTOR,
  assignmentWindowMs: config.STREAM_ASSIGNMENT_WINDOW_MS,
  healthIntervalMs: config.CHUNK_HEALTH_INTERVAL_MS,
  healthTimeoutMs: 1_000,
  logger,
});
if (config.CHUNK_SERVER_URLS.length > 0) pool.start();
else logger.warn('CHUNK_SERVER_URLS is empty: Movie.stream answers STREAMING_UNAVAILABLE');
const streamLinks = new StreamLinks(pool, config.signingKey, config.STREAM_URL_TTL_SECONDS, config.publicUrlOf);
const redis = config.REDIS_URL
  ? new RedisConnection({ url: config.REDIS_URL, logger, name: 'entity-cache', commandTimeoutMs: config.REDIS_COMMAND_TIMEOUT_MS })
  : undefined;
redis?.connect();
const movieCache = createMovieCache({ redis, keyPrefix: config.CACHE_KEY_PREFIX, ttlSeconds: config.ENTITY_CACHE_TTL_SECONDS });
metrics.observeCache('movie_entities', () => movieCache.stats);
const service = await createMoviesServer({
  db,
  logger,
  development: config.NODE_ENV !== 'production',
  subgraphSecret: config.subgraphSecret,
  streamLinks,
  movieCache,
  metrics,
});
await runService(
  {
    server: service.server,
    stop: async () => {
      pool.stop();
      await service.stop();
      await redis?.close();
      await db.destroy();
    },
  },
  { name: 'movies', host: config.HOST, port: config.PORT, logger },
);
