/** Where a subgraph's replicas come from: one fixed URL, or every address a DNS name resolves to. */
export type ReplicaSource = { kind: 'static'; url: string } | { kind: 'dns'; hostname: string; port: number; path: string; entry: string };

/** Raised for a replica entry that is neither an http(s) URL nor a `dns://` name. */
export class ReplicaSourceError extends Error {
  readonly code = 'REPLICA_SOURCE_INVALID';
  constructor(
    readonly entry: string,
    reason: string,
  ) {
    super(`"${entry}" is not a replica address: ${reason}`);
    this.name = 'ReplicaSourceError';
  }
}

/**
 * Reads one entry of a `SUBGRAPH_<NAME>_URLS` list. `http://10.0.0.7:4001/graphql` is one replica.
 * `dns://movies:4001/graphql` stands for every A and AAAA record of `movies`, re-resolved periodically, each served
 * over http on that port and path: how Docker Compose services and Kubernetes headless services expose replicas.
 */
export function parseReplicaSource(entry: string): ReplicaSource {
  let url: URL;
  try {
    url = new URL(entry);
  } catch {
    throw new ReplicaSourceError(entry, 'not a URL');
  }
  if (url.protocol === 'http:' || url.protocol === 'https:') return { kind: 'static', url: url.href };
  if (url.protocol !== 'dns:') throw new ReplicaSourceError(entry, 'use http://, https:// or dns://');
  if (!url.hostname) throw new ReplicaSourceError(entry, 'dns:// needs a host name, e.g. dns://movies:4001/graphql');
  return { kind: 'dns', hostname: url.hostname, port: url.port ? Number(url.port) : 80, path: `${url.pathname || '/'}${url.search}`, entry };
}

/** The replica URL for one resolved address of a DNS source. */
export function replicaUrlFor(source: Extract<ReplicaSource, { kind: 'dns' }>, address: string): string {
  const host = address.includes(':') ? `[${address}]` : address;
  return `http://${host}:${source.port}${source.path}`;
}
