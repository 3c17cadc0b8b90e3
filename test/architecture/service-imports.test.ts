import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** npm packages stay external (as in the production build), the workspaces' own `@cinema/*` sources are followed. */
const npmPackagesExternal: Plugin = {
  name: 'npm-packages-external',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@cinema/') ? undefined : { path: args.path, external: true }));
  },
};

/**
 * What a process loads when it starts from `entry`: the repository modules (metafile inputs) and the npm packages
 * they import (the bundle's external imports). Like the production build (launcher/src/build-services.ts), esbuild
 * keeps every module an import statement reaches, whether or not its exports are used, as Node does at run time.
 */
async function loadedBy(entry: string): Promise<{ modules: string[]; packages: string[] }> {
  const result = await build({
    entryPoints: [path.join(repoRoot, entry)],
    bundle: true,
    write: false,
    outdir: path.join(repoRoot, '.data', 'service-imports-test'),
    platform: 'node',
    format: 'esm',
    metafile: true,
    logLevel: 'silent',
    plugins: [npmPackagesExternal],
  });
  const [output] = Object.values(result.metafile.outputs);
  return {
    modules: Object.keys(result.metafile.inputs).map((input) => path.relative(repoRoot, path.resolve(process.cwd(), input)).split(path.sep).join('/')),
    packages: [...new Set((output?.imports ?? []).filter((imported) => imported.external).map((imported) => imported.path))],
  };
}

describe('what each service process loads of the shared packages', () => {
  it('the chunk server loads neither GraphQL nor Apollo, nor the subgraph plumbing of @cinema/kit', async () => {
    const { modules, packages } = await loadedBy('chunk-server/src/index.ts');
    // A floor against a bundle that resolved nothing: the chunk server does use kit's config, logging and tokens.
    expect(modules).toContain('packages/kit/src/stream-token.ts');
    expect(packages.filter((name) => name === 'graphql' || name.startsWith('graphql/') || name.startsWith('@apollo/'))).toEqual([]);
    expect(packages).not.toContain('dataloader');
    expect(modules.filter((module) => /packages\/kit\/src\/(subgraph-server|graphql-http-server|error-codes|entity-cache)\.ts$/.test(module))).toEqual([]);
  });

  it('the router loads Apollo Server and the gateway, but not the subgraph library', async () => {
    const { modules, packages } = await loadedBy('router/src/index.ts');
    expect(packages).toContain('@apollo/server');
    expect(packages.filter((name) => name.startsWith('@apollo/subgraph'))).toEqual([]);
    expect(modules).not.toContain('packages/kit/src/subgraph-server.ts');
  });

  it('a subgraph loads the subgraph server but not the parent-side process launcher', async () => {
    const { modules } = await loadedBy('subgraphs/movies/src/index.ts');
    expect(modules).toContain('packages/kit/src/subgraph-server.ts');
    expect(modules).not.toContain('packages/kit/src/service-process.ts');
  });
});
