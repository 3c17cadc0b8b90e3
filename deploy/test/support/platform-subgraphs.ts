import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { readPlatformSubgraphs } from '@cinema/data-tools';
import { repoRoot } from './repo-paths.js';

/** The platform's subgraphs, from `schema/supergraph.yaml`: every deployment descriptor must run each of them. */
export const platformSubgraphs = readPlatformSubgraphs();

type ConfigLoader = (env: NodeJS.ProcessEnv) => unknown;

/**
 * Each subgraph's own config loader (`load<Name>Config` exported by `subgraphs/<name>/src/config.ts`), so the
 * descriptors' environments are checked against what the service itself accepts, for any subgraph in the list.
 */
export const subgraphConfigLoaders: Record<string, ConfigLoader> = Object.fromEntries(
  await Promise.all(
    platformSubgraphs.map(async (name) => {
      const module = (await import(pathToFileURL(path.join(repoRoot, 'subgraphs', name, 'src', 'config.ts')).href)) as Record<string, unknown>;
      const loaders = Object.entries(module).filter(([key, value]) => /^load\w*Config$/.test(key) && typeof value === 'function');
      if (loaders.length !== 1) throw new Error(`subgraphs/${name}/src/config.ts must export exactly one load…Config function`);
      return [name, loaders[0]![1] as ConfigLoader] as const;
    }),
  ),
);

/** Subgraphs that read the movies service's catalogue feed (their config requires MOVIES_FEED_URL). */
export const feedConsumers = platformSubgraphs.filter((name) => {
  try {
    subgraphConfigLoaders[name]!({ DATABASE_URL: 'postgres://x@127.0.0.1/x', PORT: '1' });
    return false;
  } catch (error) {
    return String(error).includes('MOVIES_FEED_URL');
  }
});
