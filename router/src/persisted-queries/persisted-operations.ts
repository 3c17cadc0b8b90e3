import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildPersistedQueryManifest, type PersistedQueryManifest } from './persisted-query-manifest.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const examplesFolder = path.join(repoRoot, 'examples');
/** The web app's own manifest, compiled from its sources by `npm run manifest -w web`. */
const webAppManifestPath = path.join(repoRoot, 'web', 'persisted-query-manifest.json');

/** Where the repository's registered operations live; the router's default `PERSISTED_QUERIES_MANIFEST`. */
export const PERSISTED_OPERATIONS_PATH = path.join(repoRoot, 'schema', 'persisted-operations.json');

/**
 * The repository's registered operations: those of `examples/` and every operation of the web app (its manifest,
 * taken as it is: those exact texts are what the app's ids stand for). `npm run operations:persist` writes them to
 * {@link PERSISTED_OPERATIONS_PATH}; a test keeps that file in step, so allow-list mode runs the app by default.
 */
export function persistedOperationsManifest(): PersistedQueryManifest {
  const files = readdirSync(examplesFolder)
    .filter((file) => file.endsWith('.graphql'))
    .sort();
  const manifest = buildPersistedQueryManifest(files.map((file) => readFileSync(path.join(examplesFolder, file), 'utf8')));
  if (!existsSync(webAppManifestPath)) return manifest;
  const webApp = JSON.parse(readFileSync(webAppManifestPath, 'utf8')) as PersistedQueryManifest;
  const ids = new Set(manifest.operations.map((operation) => operation.id));
  const operations = [...manifest.operations, ...webApp.operations.filter((operation) => !ids.has(operation.id))];
  operations.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  return { ...manifest, operations };
}
