import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatePersistedQueryManifest } from '@apollo/generate-persisted-query-manifest';
import { generate } from '@graphql-codegen/cli';
import { describe, expect, it } from 'vitest';
import codegenConfig from '../codegen.js';
import manifestConfig from '../persisted-query-manifest.config.js';

const webRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The committed outputs of `npm run generate -w web` must match the app's sources and the committed supergraph:
 * a stale type or manifest would let the app send an operation the router's allow-list refuses, or type data the
 * graph no longer returns.
 */
describe('generated web app files are current (npm run generate -w web)', () => {
  it('typed documents from GraphQL Code Generator', async () => {
    const outputs = (await generate({ ...codegenConfig, cwd: webRoot, silent: true }, false)) as { filename: string; content: string }[];
    expect(outputs.length).toBeGreaterThan(0);
    for (const output of outputs) {
      const file = path.resolve(webRoot, output.filename);
      expect(readFileSync(file, 'utf8'), `${path.relative(webRoot, file)} is stale: run npm run generate -w web`).toBe(output.content);
    }
  }, 120_000);

  it('the persisted-operations manifest', async () => {
    const manifest = await generatePersistedQueryManifest(manifestConfig, path.join(webRoot, 'persisted-query-manifest.config.ts'));
    const committed = JSON.parse(readFileSync(path.join(webRoot, 'persisted-query-manifest.json'), 'utf8')) as unknown;
    expect(committed, 'web/persisted-query-manifest.json is stale: run npm run generate -w web').toEqual(manifest);
  }, 120_000);
});
