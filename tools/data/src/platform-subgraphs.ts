import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

/** Root of the repository, found from this file so commands work from any working directory. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** The composition config: the one list of the platform's subgraphs. */
export const supergraphConfigPath = path.join(repoRoot, 'schema', 'supergraph.yaml');

/**
 * A subgraph name becomes a folder (`subgraphs/<name>`), a PostgreSQL schema, and part of environment variables
 * (`SUBGRAPH_<NAME>_URLS`), so it is kept to lower-case letters, digits and underscores.
 */
const SUBGRAPH_NAME = /^[a-z][a-z0-9_]{0,39}$/;

/**
 * The platform's subgraphs, in the order `schema/supergraph.yaml` lists them. That file is what composition reads,
 * so the database tooling and the launcher cannot disagree with the graph about which subgraphs exist: adding a
 * subgraph there (and its folder under `subgraphs/`) is all they need.
 */
export function readPlatformSubgraphs(configPath = supergraphConfigPath): string[] {
  const config = parseYaml(readFileSync(configPath, 'utf8')) as { subgraphs?: Record<string, unknown> } | null;
  const names = Object.keys(config?.subgraphs ?? {});
  if (names.length === 0) throw new Error(`${configPath} lists no subgraphs`);
  for (const name of names) {
    if (!SUBGRAPH_NAME.test(name)) throw new Error(`${configPath}: subgraph name ${JSON.stringify(name)} must match ${SUBGRAPH_NAME}`);
  }
  return names;
}
