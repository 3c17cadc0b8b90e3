import { createFeedDoorbell, createServiceDatabase } from '@cinema/db';
import { CATALOGUE_EVENTS_CHANNEL } from '@cinema/kit/catalogue-feed';
import { loadConfigOrExit } from '@cinema/kit/config';
import { createLogger } from '@cinema/kit/logging';
import { ServiceMetrics } from '@cinema/kit/metrics';
import { runService } from '@cinema/kit/process';
import { loadRatingsConfig } from './config.js';
import type { RatingsDatabase } from './db/database.js';
import { createRatingsServer } from './server.js';

const config = loadConfigOrExit(() => loadRatingsConfig());
const logger = createLogger('ratings', config.LOG_LEVEL);
const metrics = new ServiceMetrics();
const db = createServiceDatabase<RatingsDatabase>('ratings', config, { logger, metrics });
const service = await createRatingsServer({
  db,
  logger,
  development: config.NODE_ENV !== 'production',
  subgraphSecret: config.subgraphSecret,
  jwtSecret: config.jwtSecret,
  moviesFeedUrls: config.MOVIES_FEED_URL,
  catalogueSyncIntervalMs: config.CATALOGUE_SYNC_INTERVAL_MS,
  metrics,
  // The movies service notifies on every outbox write; each notification (and each reconnection) triggers a read of
  // the feed, so genre changes reach the rankings in milliseconds rather than at the next poll.
  catalogueDoorbell: (ring) =>
    createFeedDoorbell({ connectionString: config.DATABASE_URL, channel: CATALOGUE_EVENTS_CHANNEL, name: 'catalogue', service: 'ratings', logger, ring }),
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
  { name: 'ratings', host: config.HOST, port: config.PORT, logger },
);
