import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CodegenConfig } from '@graphql-codegen/cli';
import { printSchema } from 'graphql';
import { buildApiSchema } from '@cinema/schema/api-schema';

/**
 * Types come from the committed supergraph's API schema (what the router serves, without federation machinery), so
 * the app is typed against exactly what `schema:check` verified, with no running server and no introspection.
 */
const webRoot = path.dirname(fileURLToPath(import.meta.url));
const supergraph = readFileSync(path.join(webRoot, '..', 'schema', 'supergraph.graphql'), 'utf8');

const config: CodegenConfig = {
  schema: printSchema(buildApiSchema(supergraph)),
  // Absolute, so the staleness test (web/test) finds the same files from the repository root.
  documents: [path.join(webRoot, 'src/**/*.{ts,tsx}'), `!${path.join(webRoot, 'src/__generated__/**')}`],
  ignoreNoDocuments: false,
  generates: {
    'src/__generated__/': {
      preset: 'client',
      presetConfig: { fragmentMasking: { unmaskFunctionName: 'getFragmentData' } },
      config: { enumsAsTypes: true, useTypeImports: true, scalars: { ID: 'string' } },
    },
  },
};

export default config;
