import { createDatabase, NotificationListener } from '@cinema/db';
import { loadConfigOrExit } from '@cinema/kit/config';
import { createLogger } from '@cinema/kit/logging';
import { ServiceMetrics } from '@cinema/kit/metrics';
import { runService } from '@cinema/kit/process';
import { CATALOGUE_EVENTS_CHANNEL } from './catalogue-sync.js';
import { loadRatingsConfig } from './config.js';
import type { RatingsDatabase } from './db/database.js';
import { createRatingsServer } from './server.js';

const config = loadConfigOrExit(() => loadRatingsConfig());
const logger = createLogger('ratings', config.LOG_LEVEL);
const metrics = new ServiceMetrics();
const db = createDatabase<RatingsDatabase>({ connectionString: config.DATABASE_URL, schema: 'ratings', poolSize: config.DB_POOL_SIZE, applicationName: 'ratings-subgraph', onPoolError: (error) => logger.warn({ err: error }, 'idle database connection lost'), onPoolCreated: (pool) => metrics.observePool('ratings', pool) });
const service = await createRatingsServer({
  db,
  logger,
  development: config.NODE_ENV !== 'production',
  subgraphSecret: config.subgraphSecret,
  jwtSecret: config.jwtSecret,
  moviesFeedUrls: config.MOVIES_FEED_URL,
  catalogueSyncIntervalMs: config.CATALOGUE_SYNC_INTERVAL_MS,
  metrics,
});
// The movies service notifies on every outbox write; each notification (and each reconnection) triggers a read of
// the feed, so genre changes reach the rankings in milliseconds rather than at the next poll.
const catalogueNotifications = new NotificationListener({
  connectionString: config.DATABASE_URL,
  channel: CATALOGUE_EVENTS_CHANNEL,
  applicationName: 'ratings-catalogue-listener',
  onNotification: () => service.catalogueSync.wake(),
  onError: (error) => logger.warn({ err: error }, 'catalogue notifications interrupted; reconnecting (the feed is still polled)'),
  onListening: () => logger.debug('listening for catalogue notifications'),
});
service.catalogueSync.start();
catalogueNotifications.start();
await runService(
  { server: service.server, stop: async () => { await catalogueNotifications.stop(); await service.stop(); await db.destroy(); } },
  { name: 'ratings', host: config.HOST, port: config.PORT, logger },
);
