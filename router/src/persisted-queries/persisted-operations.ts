import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildPersistedQueryManifest, type PersistedQueryManifest } from './persisted-query-manifest.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const examplesFolder = path.join(repoRoot, 'examples');

/** Where the repository's registered operations live; the router's default `PERSISTED_QUERIES_MANIFEST`. */
export const PERSISTED_OPERATIONS_PATH = path.join(repoRoot, 'schema', 'persisted-operations.json');

/**
 * The repository's registered operations: those of `examples/`, what the project's own front end would send.
 * `npm run operations:persist` writes them to {@link PERSISTED_OPERATIONS_PATH}; a test keeps that file in step.
 */
export function persistedOperationsManifest(): PersistedQueryManifest {
  const files = readdirSync(examplesFolder).filter((file) => file.endsWith('.graphql')).sort();
  return buildPersistedQueryManifest(files.map((file) => readFileSync(path.join(examplesFolder, file), 'utf8')));
}
