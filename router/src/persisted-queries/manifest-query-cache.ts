import type { PersistedQueryOptions } from '@apollo/server';

type PersistedQueryCache = NonNullable<PersistedQueryOptions['cache']>;

/**
 * The persisted-query store of allow-list mode: hashes resolve to the registered operations only, and what clients
 * try to register is dropped, so the set of runnable operations is exactly the manifest.
 */
export class ManifestQueryCache implements PersistedQueryCache {
  constructor(private readonly registered: ReadonlyMap<string, string>) {}

  async get(key: string): Promise<string | undefined> {
    // Apollo prefixes its keys (`apq:<hash>`).
    return this.registered.get(key.slice(key.lastIndexOf(':') + 1));
  }

  async set(): Promise<void> {}

  async delete(): Promise<boolean> {
    return false;
  }
}
