import type { Replica } from './replica.js';

/**
 * The replicas of one subgraph, gathered from its sources (fixed URLs and DNS names). Each source reports its own
 * URLs; the set is their union. A replica no source lists any more is retired: it gets no new requests and its pool
 * closes once the requests already sent to it finish. The array is replaced, never mutated, so a request iterating
 * it never sees a half-applied change.
 */
export class ReplicaSet {
  private current: readonly Replica[] = [];
  private readonly bySource = new Map<string, readonly string[]>();

  constructor(
    private readonly createReplica: (url: string) => Replica,
    private readonly onRetired: (replica: Replica) => void = () => undefined,
  ) {}

  get replicas(): readonly Replica[] {
    return this.current;
  }

  /** Makes `urls` the replicas `source` contributes. */
  update(source: string, urls: readonly string[]): void {
    this.bySource.set(source, urls);
    const wanted = new Set([...this.bySource.values()].flat());
    const kept = this.current.filter((replica) => wanted.has(replica.url));
    const known = new Set(kept.map((replica) => replica.url));
    const added = [...wanted].filter((url) => !known.has(url)).map((url) => this.createReplica(url));
    for (const replica of this.current) {
      if (wanted.has(replica.url)) continue;
      this.onRetired(replica);
      void replica.close();
    }
    this.current = [...kept, ...added];
  }

  async close(): Promise<void> {
    const replicas = this.current;
    this.current = [];
    await Promise.all(replicas.map((replica) => replica.close()));
  }
}
