import { writeFileSync, renameSync, chmodSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { run } from './run-command.js';
import type { LabHost, LabProcess, NetworkLab } from './network-lab.js';

/** TTL of every record: short, as orchestrators' DNS uses (Kubernetes CoreDNS answers with 5 s, Docker with 600 s). */
export const LAB_DNS_TTL_SECONDS = 1;

/**
 * The lab's DNS server: a real dnsmasq on its own host, answering only the names the test publishes (from a hosts
 * file it re-reads on SIGHUP) with a short TTL, and forwarding nothing anywhere (`no-resolv`), so an unknown name is
 * NXDOMAIN rather than a query leaving the lab.
 */
export class LabDns {
  private readonly records = new Map<string, Set<string>>();
  private readonly hostsFile: string;

  private constructor(
    readonly host: LabHost,
    private readonly server: LabProcess,
    hostsFile: string,
  ) {
    this.hostsFile = hostsFile;
  }

  static async start(lab: NetworkLab, host: LabHost): Promise<LabDns> {
    const hostsFile = path.join(lab.dir, 'dns-hosts');
    // Its own name from the start, so that "answering" can be checked before the test publishes anything (and
    // before dnsmasq handles SIGHUP, which would otherwise end it).
    writeFileSync(hostsFile, `${host.address} dns\n`);
    // dnsmasq drops to an unprivileged user and re-reads the file as that user.
    chmodSync(hostsFile, 0o644);
    const server = lab.spawn(host, 'dnsmasq', 'dnsmasq', [
      '--keep-in-foreground',
      '--conf-file=/dev/null',
      '--no-resolv',
      '--no-hosts',
      '--no-poll',
      `--addn-hosts=${hostsFile}`,
      `--listen-address=${host.address}`,
      '--bind-interfaces',
      '--port=53',
      `--local-ttl=${LAB_DNS_TTL_SECONDS}`,
      '--log-facility=-',
      '--pid-file=',
      '--cache-size=0',
    ]);
    const dns = new LabDns(host, server, hostsFile);
    dns.records.set('dns', new Set([host.address]));
    await dns.waitUntilAnswering();
    return dns;
  }

  /** Makes `name` resolve to `addresses` (replacing what it had); every name answers all its addresses. */
  async set(name: string, addresses: readonly string[]): Promise<void> {
    this.records.set(name, new Set(addresses));
    await this.publish();
  }

  /** Publishes several names at once (one reload). */
  async setAll(records: Record<string, readonly string[]>): Promise<void> {
    for (const [name, addresses] of Object.entries(records)) this.records.set(name, new Set(addresses));
    await this.publish();
  }

  async add(name: string, address: string): Promise<void> {
    const set = this.records.get(name) ?? new Set<string>();
    set.add(address);
    this.records.set(name, set);
    await this.publish();
  }

  async remove(name: string, address: string): Promise<void> {
    this.records.get(name)?.delete(address);
    await this.publish();
  }

  /** What the server answers for `name`, asked from `from` as a service there would (getent: the system resolver). */
  async resolveFrom(from: LabHost, name: string): Promise<string[]> {
    const output = await run('ip', ['netns', 'exec', from.namespace, 'getent', 'ahostsv4', name]).catch(() => '');
    return [
      ...new Set(
        output
          .split('\n')
          .map((line) => line.split(/\s+/)[0])
          .filter((address): address is string => Boolean(address)),
      ),
    ].sort();
  }

  /** Rewrites the hosts file atomically and tells dnsmasq to re-read it; resolves once it answers the new records. */
  private async publish(): Promise<void> {
    const lines = [...this.records].flatMap(([name, addresses]) => [...addresses].map((address) => `${address} ${name}`));
    const next = `${this.hostsFile}.next`;
    writeFileSync(next, `${lines.join('\n')}\n`);
    chmodSync(next, 0o644);
    renameSync(next, this.hostsFile);
    process.kill(this.server.child.pid!, 'SIGHUP');
    await this.waitUntilAnswering();
  }

  /** Waits until every published name answers exactly its addresses (dnsmasq re-reads asynchronously). */
  private async waitUntilAnswering(): Promise<void> {
    for (let attempt = 0; attempt < 200; attempt++) {
      if (this.server.child.exitCode !== null) throw new Error(`dnsmasq exited; see ${this.server.logFile}`);
      let consistent = true;
      for (const [name, addresses] of this.records) {
        const answer = await this.resolveFrom(this.host, name);
        if (answer.join(' ') !== [...addresses].sort().join(' ')) {
          consistent = false;
          break;
        }
      }
      if (consistent) return;
      await sleep(50);
    }
    throw new Error(`dnsmasq did not answer the published records; see ${this.server.logFile}`);
  }
}
