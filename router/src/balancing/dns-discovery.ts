import { promises as dns } from 'node:dns';
import { isIP } from 'node:net';
import type { Logger } from '@cinema/kit/logging';
import { replicaUrlFor, type ReplicaSource } from './replica-source.js';

/** Every address a name stands for. */
export type ResolveAddresses = (hostname: string) => Promise<string[]>;

/**
 * All A and AAAA records of `hostname`, asked of DNS directly (as Compose and Kubernetes publish replicas), sorted so
 * that an unchanged answer in another order is no change. Names DNS does not know, like `localhost`, fall back to the
 * system resolver (`/etc/hosts`).
 */
export async function resolveAllAddresses(hostname: string): Promise<string[]> {
  if (isIP(hostname)) return [hostname];
  const [v4, v6] = await Promise.allSettled([dns.resolve4(hostname), dns.resolve6(hostname)]);
  const addresses = [...(v4.status === 'fulfilled' ? v4.value : []), ...(v6.status === 'fulfilled' ? v6.value : [])];
  if (addresses.length === 0) addresses.push(...(await dns.lookup(hostname, { all: true })).map((entry) => entry.address));
  return [...new Set(addresses)].sort();
}

export interface DnsDiscoveryOptions {
  refreshMs: number;
  logger: Logger;
  resolve?: ResolveAddresses;
}

/**
 * Keeps a `dns://` source's replicas in step with DNS: resolves the name now and every `refreshMs`, and reports the
 * replica URLs whenever the set changes. A failed lookup keeps the last known replicas, since a DNS hiccup is not
 * evidence that they are gone; their health checks decide that.
 */
export class DnsDiscovery {
  private timer: NodeJS.Timeout | undefined;
  private last = '';

  constructor(
    private readonly source: Extract<ReplicaSource, { kind: 'dns' }>,
    private readonly onChange: (urls: string[]) => void,
    private readonly options: DnsDiscoveryOptions,
  ) {}

  /** Resolves once (so the router starts with replicas when DNS has them), then refreshes on a timer. */
  async start(): Promise<void> {
    await this.refresh();
    this.timer ??= setInterval(() => void this.refresh(), this.options.refreshMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  async refresh(): Promise<void> {
    let addresses: string[];
    try {
      addresses = await (this.options.resolve ?? resolveAllAddresses)(this.source.hostname);
    } catch (error) {
      this.options.logger.warn({ err: error, source: this.source.entry }, 'DNS lookup of subgraph replicas failed; keeping the last known replicas');
      return;
    }
    const urls = addresses.map((address) => replicaUrlFor(this.source, address));
    const key = urls.join(' ');
    if (key === this.last) return;
    this.last = key;
    this.options.logger.info({ source: this.source.entry, replicas: urls }, 'subgraph replicas resolved');
    this.onChange(urls);
  }
}
