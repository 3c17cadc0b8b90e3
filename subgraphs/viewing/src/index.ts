import { createDatabase, NotificationListener } from '@cinema/db';
import { loadConfigOrExit } from '@cinema/kit/config';
import { createLogger } from '@cinema/kit/logging';
import { ServiceMetrics } from '@cinema/kit/metrics';
import { runService } from '@cinema/kit/process';
import { CATALOGUE_EVENTS_CHANNEL } from './catalogue-sync.js';
import { loadViewingConfig } from './config.js';
import type { ViewingDatabase } from './db/database.js';
import { createViewingServer } from './server.js';

const config = loadConfigOrExit(() => loadViewingConfig());
const logger = createLogger('viewing', config.LOG_LEVEL);
const metrics = new ServiceMetrics();
const db = createDatabase<ViewingDatabase>({ connectionString: config.DATABASE_URL, schema: 'viewing', poolSize: config.DB_POOL_SIZE, applicationName: 'viewing-subgraph', onPoolError: (error) => logger.warn({ err: error }, 'idle database connection lost'), onPoolCreated: (pool) => metrics.observePool('viewing', pool) });
const service = await createViewingServer({
  db,
  logger,
  development: config.NODE_ENV !== 'production',
  subgraphSecret: config.subgraphSecret,
  moviesFeedUrls: config.MOVIES_FEED_URL,
  catalogueSyncIntervalMs: config.CATALOGUE_SYNC_INTERVAL_MS,
  metrics,
});
// The movies service notifies on every outbox write; each notification (and each reconnection) triggers a read of
// the feed, so a new movie can be played (and its progress recorded) within milliseconds of its creation.
const catalogueNotifications = new NotificationListener({
  connectionString: config.DATABASE_URL,
  channel: CATALOGUE_EVENTS_CHANNEL,
  applicationName: 'viewing-catalogue-listener',
  onNotification: () => service.catalogueSync.wake(),
  onError: (error) => logger.warn({ err: error }, 'catalogue notifications interrupted; reconnecting (the feed is still polled)'),
  onListening: () => logger.debug('listening for catalogue notifications'),
});
service.catalogueSync.start();
catalogueNotifications.start();
await runService(
  { server: service.server, stop: async () => { await catalogueNotifications.stop(); await service.stop(); await db.destroy(); } },
  { name: 'viewing', host: config.HOST, port: config.PORT, logger },
);
