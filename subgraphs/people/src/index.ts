import { createServiceDatabase } from '@cinema/db';
import { RedisConnection } from '@cinema/kit/cache';
import { loadConfigOrExit } from '@cinema/kit/config';
import { createLogger } from '@cinema/kit/logging';
import { ServiceMetrics } from '@cinema/kit/metrics';
import { runService } from '@cinema/kit/process';
import { loadPeopleConfig } from './config.js';
import type { PeopleDatabase } from './db/database.js';
import { createPersonCache } from './person-cache.js';
import { createPeopleServer } from './server.js';

const config = loadConfigOrExit(() => loadPeopleConfig());
const logger = createLogger('people', config.LOG_LEVEL);
const metrics = new ServiceMetrics();
const db = createServiceDatabase<PeopleDatabase>('people', config, { logger, metrics });
const redis = config.REDIS_URL
  ? new RedisConnection({ url: config.REDIS_URL, logger, name: 'entity-cache', commandTimeoutMs: config.REDIS_COMMAND_TIMEOUT_MS })
  : undefined;
redis?.connect();
const personCache = createPersonCache({ redis, keyPrefix: config.CACHE_KEY_PREFIX, ttlSeconds: config.ENTITY_CACHE_TTL_SECONDS });
metrics.observeCache('person_entities', () => personCache.stats);
const service = await createPeopleServer({
  db,
  logger,
  development: config.NODE_ENV !== 'production',
  subgraphSecret: config.subgraphSecret,
  personCache,
  metrics,
});
await runService(
  {
    server: service.server,
    stop: async () => {
      await service.stop();
      await redis?.close();
      await db.destroy();
    },
  },
  { name: 'people', host: config.HOST, port: config.PORT, logger },
);
