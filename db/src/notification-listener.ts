import pg from 'pg';

export interface NotificationListenerOptions {
  connectionString: string;
  /** The channel to LISTEN on; channel names are database-wide, whatever schema the notifier writes to. */
  channel: string;
  /** Called for each notification, and once after every (re)connection, since notifications sent while not listening are lost. */
  onNotification: () => void;
  /** Told when the connection fails or drops; the listener reconnects by itself after `retryDelayMs`. */
  onError?: (error: Error) => void;
  /** Told when listening starts or resumes. */
  onListening?: () => void;
  retryDelayMs?: number;
  applicationName?: string;
}

/**
 * Holds one dedicated connection LISTENing on a channel (a pooled connection cannot: the pool would hand it to
 * other queries and the subscription with it). The connection is re-opened whenever it fails, and each
 * (re)connection is reported as a notification, so a consumer that polls a feed on notification never waits for
 * its fallback timer after an outage.
 */
export class NotificationListener {
  readonly #options: NotificationListenerOptions;
  #client: pg.Client | undefined;
  #retryTimer: NodeJS.Timeout | undefined;
  #stopped = true;

  constructor(options: NotificationListenerOptions) {
    this.#options = options;
  }

  /** Connects and starts listening; failures are retried in the background, never thrown. */
  start(): void {
    this.#stopped = false;
    void this.#connect();
  }

  /** Stops listening and closes the connection. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#retryTimer);
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => undefined);
  }

  async #connect(): Promise<void> {
    const { connectionString, channel, applicationName = 'notification-listener' } = this.#options;
    const client = new pg.Client({ connectionString, application_name: applicationName });
    client.on('error', (error) => this.#lost(client, error));
    client.on('end', () => this.#lost(client, new Error('listener connection closed')));
    client.on('notification', (message) => {
      if (message.channel === channel) this.#options.onNotification();
    });
    try {
      await client.connect();
      await client.query(`listen "${channel.replaceAll('"', '""')}"`);
    } catch (error) {
      this.#lost(client, error instanceof Error ? error : new Error(String(error)));
      return;
    }
    if (this.#stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.#client = client;
    this.#options.onListening?.();
    this.#options.onNotification();
  }

  #lost(client: pg.Client, error: Error): void {
    client.removeAllListeners('end');
    client.removeAllListeners('error');
    client.on('error', () => undefined);
    void client.end().catch(() => undefined);
    if (this.#client === client) this.#client = undefined;
    if (this.#stopped) return;
    this.#options.onError?.(error);
    clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(() => void this.#connect(), this.#options.retryDelayMs ?? 1_000);
  }
}
