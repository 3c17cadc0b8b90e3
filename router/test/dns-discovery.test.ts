import { createLogger } from '@cinema/kit/logging';
import { describe, expect, it } from 'vitest';
import { DnsDiscovery, resolveAllAddresses } from '../src/balancing/dns-discovery.js';
import { parseReplicaSource, ReplicaSourceError } from '../src/balancing/replica-source.js';

const logger = createLogger('test', 'silent');

describe('parseReplicaSource', () => {
  it('reads fixed URLs and dns:// names', () => {
    expect(parseReplicaSource('http://10.0.0.7:4001/graphql')).toEqual({ kind: 'static', url: 'http://10.0.0.7:4001/graphql' });
    expect(parseReplicaSource('dns://movies:4001/graphql')).toEqual({
      kind: 'dns',
      hostname: 'movies',
      port: 4001,
      path: '/graphql',
      entry: 'dns://movies:4001/graphql',
    });
    expect(parseReplicaSource('dns://movies.cinema.svc.cluster.local')).toMatchObject({ hostname: 'movies.cinema.svc.cluster.local', port: 80, path: '/' });
  });

  it('refuses anything else with a stable code', () => {
    for (const entry of ['movies:4001', 'ftp://movies/graphql', 'dns:///graphql']) {
      expect(() => parseReplicaSource(entry)).toThrow(ReplicaSourceError);
    }
  });
});

describe('DnsDiscovery', () => {
  const source = parseReplicaSource('dns://movies:4001/graphql') as Extract<ReturnType<typeof parseReplicaSource>, { kind: 'dns' }>;

  it('reports a replica per address, again only when the set changes, and keeps the last set when DNS fails', async () => {
    const answers: (string[] | Error)[] = [['10.0.0.2', '10.0.0.1'], ['10.0.0.1', '10.0.0.2'], new Error('SERVFAIL'), ['10.0.0.1', 'fd00::3']];
    const reported: string[][] = [];
    const discovery = new DnsDiscovery(source, (urls) => reported.push(urls), {
      refreshMs: 60_000,
      logger,
      resolve: async () => {
        const next = answers.shift()!;
        if (next instanceof Error) throw next;
        return [...next].sort();
      },
    });
    await discovery.start();
    await discovery.refresh();
    await discovery.refresh();
    await discovery.refresh();
    discovery.stop();
    expect(reported).toEqual([
      ['http://10.0.0.1:4001/graphql', 'http://10.0.0.2:4001/graphql'],
      ['http://10.0.0.1:4001/graphql', 'http://[fd00::3]:4001/graphql'],
    ]);
  });

  it('resolves IP literals and hosts-file names without a DNS server', async () => {
    expect(await resolveAllAddresses('127.0.0.1')).toEqual(['127.0.0.1']);
    expect(await resolveAllAddresses('localhost')).toContain('127.0.0.1');
  });
});
