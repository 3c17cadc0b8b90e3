import { createFeedDoorbell, createServiceDatabase } from '@cinema/db';
import { CATALOGUE_EVENTS_CHANNEL } from '@cinema/kit/catalogue-feed';
import { loadConfigOrExit } from '@cinema/kit/config';
import { createLogger } from '@cinema/kit/logging';
import { ServiceMetrics } from '@cinema/kit/metrics';
import { runService } from '@cinema/kit/process';
import { loadViewingConfig } from './config.js';
import type { ViewingDatabase } from './db/database.js';
import { createViewingServer } from './server.js';

const config = loadConfigOrExit(() => loadViewingConfig());
const logger = createLogger('viewing', config.LOG_LEVEL);
const metrics = new ServiceMetrics();
const db = createServiceDatabase<ViewingDatabase>('viewing', config, { logger, metrics });
const service = await createViewingServer({
  db,
  logger,
  development: config.NODE_ENV !== 'production',
  subgraphSecret: config.subgraphSecret,
  moviesFeedUrls: config.MOVIES_FEED_URL,
  catalogueSyncIntervalMs: config.CATALOGUE_SYNC_INTERVAL_MS,
  metrics,
  // The movies service notifies on every outbox write; each notification (and each reconnection) triggers a read of
  // the feed, so a new movie can be played (and its progress recorded) within milliseconds of its creation.
  catalogueDoorbell: (ring) =>
    createFeedDoorbell({ connectionString: config.DATABASE_URL, channel: CATALOGUE_EVENTS_CHANNEL, name: 'catalogue', service: 'viewing', logger, ring }),
});
service.catalogueSync.start();
await runService(
  {
    server: service.server,
    stop: async () => {
      await service.stop();
      await db.destroy();
    },
  },
  { name: 'viewing', host: config.HOST, port: config.PORT, logger },
);
