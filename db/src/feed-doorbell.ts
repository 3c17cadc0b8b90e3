import { NotificationListener } from './notification-listener.js';

export interface FeedDoorbellOptions {
  connectionString: string;
  /** The publisher's channel, e.g. `CATALOGUE_EVENTS_CHANNEL`. */
  channel: string;
  /** What the feed carries (`catalogue`), for log lines and the connection's name. */
  name: string;
  /** The consuming service, shown as `<service>-<name>-listener` in `pg_stat_activity`. */
  service: string;
  logger: { warn(details: object, message: string): void; debug(message: string): void };
  /** Rung on each notification and after each (re)connection: typically `FeedFollower.wake`. */
  ring: () => void;
}

/**
 * The LISTEN side of a feed: each notification (and each reconnection) triggers a read of the feed, so changes
 * reach the consumer in milliseconds rather than at its next poll. Losing the connection is logged, not fatal: the
 * feed is still polled while the listener reconnects.
 */
export function createFeedDoorbell({ connectionString, channel, name, service, logger, ring }: FeedDoorbellOptions): NotificationListener {
  return new NotificationListener({
    connectionString,
    channel,
    applicationName: `${service}-${name}-listener`,
    onNotification: ring,
    onError: (error) => logger.warn({ err: error }, `${name} notifications interrupted; reconnecting (the feed is still polled)`),
    onListening: () => logger.debug(`listening for ${name} notifications`),
  });
}
