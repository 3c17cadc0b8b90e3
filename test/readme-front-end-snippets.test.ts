import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '@cinema/data-tools';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readmeCodeBlocks } from './support/readme-section.js';

const run = promisify(execFile);

/**
 * The README's front-end snippets compile as a browser project would take them: strict TypeScript with the DOM
 * library, against the client packages' own types. (test/e2e/graphql-clients.e2e.ts runs them against the router.)
 */
describe('README "Use it from a front-end" snippets', () => {
  let folder: string;
  beforeAll(async () => {
    // Inside the repository, so the imports resolve to its node_modules like a front-end's would.
    folder = await mkdtemp(path.join(repoRoot, 'test', '.readme-snippets-'));
  });
  afterAll(async () => {
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  // tsc loads the clients' type definitions: a few seconds alone, far longer on a loaded 2-core machine.
  it('type-check under strict TypeScript with the DOM library', { timeout: 180_000 }, async () => {
    const blocks = readmeCodeBlocks('Use it from a front-end', 'ts');
    expect(blocks).toHaveLength(2);
    const files = await Promise.all(
      blocks.map(async (code, index) => {
        const file = path.join(folder, `snippet-${index}.ts`);
        // Each snippet is a module of its own (top-level await), as in a bundler.
        await writeFile(file, `${code}\nexport {};\n`);
        return file;
      }),
    );
    const tsc = path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
    const options = ['--noEmit', '--strict', '--skipLibCheck', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022'];
    const result = await run(process.execPath, [tsc, ...options, '--lib', 'es2022,dom', ...files]).then(
      ({ stdout }) => ({ code: 0, stdout }),
      (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
    );
    expect(result).toEqual({ code: 0, stdout: '' });
  });
});
