import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PersistedQueryManifestConfig } from '@apollo/generate-persisted-query-manifest';

const here = (file: string) => path.join(path.dirname(fileURLToPath(import.meta.url)), file);

/**
 * The app's persisted-operations manifest: every operation in `src/`, transformed as Apollo Client transforms it
 * before sending (`__typename` added), in Apollo's manifest format. The app sends operations by these ids; the
 * router's allow-list (`PERSISTED_QUERIES_ONLY`) accepts exactly these.
 */
const config: PersistedQueryManifestConfig = {
  // Absolute, so the staleness test (web/test) finds the same files from the repository root.
  documents: [here('src/**/*.{ts,tsx}'), `!${here('src/__generated__/**')}`, '!**/*.d.ts'],
  output: here('persisted-query-manifest.json'),
};

export default config;
