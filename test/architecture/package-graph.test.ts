import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPackageGraph, productionSourceFiles, readWorkspaces, type Layer, type Workspace } from './support/package-graph.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The repository's layers, lowest first. Shared plumbing knows nothing of databases; the runtime database package
 * knows no service's tables; services stand side by side and never import one another; the data tooling seeds
 * the services' tables, so it stands above them and takes their table types through their declared `./database`
 * exports; the launcher starts everything, the web app's build reads the schema package; the root package (deploy
 * job, configs) is on top. Every subgraph under `subgraphs/` is a service without being listed here.
 */
function repositoryLayers(workspaces: readonly Workspace[]): Layer[] {
  const subgraphs = workspaces
    .filter((workspace) => path.relative(repoRoot, workspace.dir).startsWith(`subgraphs${path.sep}`))
    .map((workspace) => workspace.name);
  return [
    { name: 'shared plumbing', packages: ['@cinema/kit'] },
    { name: 'runtime database', packages: ['@cinema/db'] },
    { name: 'services', packages: [...subgraphs, '@cinema/router', '@cinema/chunk-server'] },
    { name: 'data and schema tooling', packages: ['@cinema/data-tools', '@cinema/schema'] },
    { name: 'applications', packages: ['@cinema/launcher', '@cinema/web'] },
    { name: 'repository root', packages: ['cinema-graph'] },
  ];
}

describe('the package graph of the repository', () => {
  const workspaces = readWorkspaces(repoRoot);

  it('places every workspace in a layer', () => {
    const layered = new Set(repositoryLayers(workspaces).flatMap((layer) => layer.packages));
    expect(workspaces.map((workspace) => workspace.name).filter((name) => !layered.has(name))).toEqual([]);
  });

  it('runs in one direction: no upward or sideways import, no relative path into another package, nothing undeclared', () => {
    const files = productionSourceFiles(workspaces);
    // A floor, so that a walk that silently found nothing (a renamed folder) cannot pass.
    expect(files.length).toBeGreaterThan(200);
    const violations = checkPackageGraph(repoRoot, workspaces, repositoryLayers(workspaces), files);
    expect(violations.map((violation) => `${violation.file}: ${violation.message} (${violation.specifier})`)).toEqual([]);
  });
});

describe('the package graph check', () => {
  let root: string;
  let workspaces: Workspace[];
  const layers: Layer[] = [
    { name: 'plumbing', packages: ['@fx/kit'] },
    { name: 'services', packages: ['@fx/svc-a', '@fx/svc-b'] },
    { name: 'tooling', packages: ['@fx/tools'] },
  ];

  const write = async (file: string, text: string) => {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), text);
  };
  const manifest = (name: string, dependencies: Record<string, string> = {}, exports: Record<string, string> = { '.': './src/index.ts' }) =>
    JSON.stringify({ name, type: 'module', exports, dependencies });

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'package-graph-'));
    await write('package.json', JSON.stringify({ name: 'fx-root', private: true, workspaces: ['packages/*', 'tools'] }));
    await write('packages/kit/package.json', manifest('@fx/kit', { zod: '^4' }, { './config': './src/config.ts' }));
    await write('packages/svc-a/package.json', manifest('@fx/svc-a', { '@fx/kit': '*', '@fx/svc-b': '*' }));
    await write('packages/svc-b/package.json', manifest('@fx/svc-b', { '@fx/kit': '*' }, { '.': './src/index.ts', './database': './src/db/database.ts' }));
    await write('tools/package.json', manifest('@fx/tools', { '@fx/svc-b': '*', '@fx/kit': '*', '@fx/extra': '*' }));
    await write('packages/extra/package.json', manifest('@fx/extra'));

    // Allowed: a declared npm package, a built-in, a lower layer's declared export, a type through a declared export.
    await write('packages/kit/src/config.ts', "import { z } from 'zod';\nimport path from 'node:path';\nexport const a = 1;\n");
    await write('packages/svc-b/src/index.ts', "import { a } from '@fx/kit/config';\nimport './db/database.js';\n");
    await write('tools/src/seed.ts', "import type { Tables } from '@fx/svc-b/database';\nimport { a } from '@fx/kit/config';\n");
    // Test folders are not production code: an upward import there is not reported.
    await write('packages/kit/test/kit.test.ts', "import { seed } from '@fx/tools';\n");

    // Violations, one of each kind.
    await write(
      'packages/kit/src/upward.ts',
      "// import { ignored } from '@fx/svc-a'; (a comment is not an import)\nexport const load = () => import('@fx/svc-a');\n",
    );
    await write('packages/svc-a/src/index.ts', "export { b } from '@fx/svc-b';\n");
    await write('tools/src/relative.ts', "import type { Tables } from '../../packages/svc-b/src/db/database.js';\n");
    await write('tools/src/undeclared.ts', "import pg from 'pg';\n");
    await write('tools/src/unexported.ts', "import { internal } from '@fx/kit/src/internal.js';\n");
    await write('tools/src/unlayered.ts', "import { extra } from '@fx/extra';\n");
    workspaces = readWorkspaces(root);
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('reports each kind of wrong import, and only those', () => {
    const violations = checkPackageGraph(root, workspaces, layers, productionSourceFiles(workspaces));
    expect(
      violations.map(({ rule, file, specifier }) => ({ rule, file, specifier })).sort((a, b) => `${a.file}${a.rule}`.localeCompare(`${b.file}${b.rule}`)),
    ).toEqual([
      { rule: 'undeclared', file: 'packages/kit/src/upward.ts', specifier: '@fx/svc-a' },
      { rule: 'upward', file: 'packages/kit/src/upward.ts', specifier: '@fx/svc-a' },
      { rule: 'same-layer', file: 'packages/svc-a/src/index.ts', specifier: '@fx/svc-b' },
      { rule: 'relative-crossing', file: 'tools/src/relative.ts', specifier: '../../packages/svc-b/src/db/database.js' },
      { rule: 'undeclared', file: 'tools/src/undeclared.ts', specifier: 'pg' },
      { rule: 'unexported', file: 'tools/src/unexported.ts', specifier: '@fx/kit/src/internal.js' },
      { rule: 'unlayered', file: 'tools/src/unlayered.ts', specifier: '@fx/extra' },
    ]);
  });

  it('finds nothing wrong once the wrong files are gone', () => {
    const wrong = ['upward.ts', 'svc-a/src/index.ts', 'relative.ts', 'undeclared.ts', 'unexported.ts', 'unlayered.ts'];
    const files = productionSourceFiles(workspaces).filter((file) => !wrong.some((name) => file.endsWith(name)));
    expect(files.length).toBe(3);
    expect(checkPackageGraph(root, workspaces, layers, files)).toEqual([]);
  });
});
