import { createDatabase } from '@cinema/db';
import { createLogger, loadConfigOrExit, runService } from '@cinema/kit';
import { loadRatingsConfig } from './config.js';
import type { RatingsDatabase } from './db/database.js';
import { createRatingsServer } from './server.js';

const config = loadConfigOrExit(() => loadRatingsConfig());
const logger = createLogger('ratings', config.LOG_LEVEL);
const db = createDatabase<RatingsDatabase>({ connectionString: config.DATABASE_URL, schema: 'ratings', poolSize: config.DB_POOL_SIZE, applicationName: 'ratings-subgraph', onPoolError: (error) => logger.warn({ err: error }, 'idle database connection lost') });
const service = await createRatingsServer({
  db,
  logger,
  development: config.NODE_ENV !== 'production',
  moviesFeedUrls: config.MOVIES_FEED_URL,
  catalogueSyncIntervalMs: config.CATALOGUE_SYNC_INTERVAL_MS,
});
service.catalogueSync.start();
await runService(
  { server: service.server, stop: async () => { await service.stop(); await db.destroy(); } },
  { name: 'ratings', host: config.HOST, port: config.PORT, logger },
);
