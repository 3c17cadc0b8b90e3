import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { readPlatformSubgraphs, repoRoot } from '@cinema/data-tools';
import { builtEntryOf, builtInputsOf } from '@cinema/kit/service-process';
import { build, type Plugin } from 'esbuild';

/**
 * Every entry point a deployment runs: the servers, and the tracing preload with the module it loads on demand
 * (built apart, so that without an OTLP endpoint nothing of OpenTelemetry is loaded).
 */
export const SERVICE_ENTRIES: readonly string[] = [
  'router/src/index.ts',
  // Every subgraph of schema/supergraph.yaml, so a new one is built without touching this file.
  ...readPlatformSubgraphs().map((name) => `subgraphs/${name}/src/index.ts`),
  'chunk-server/src/index.ts',
  'packages/kit/src/tracing/register.ts',
  'packages/kit/src/tracing/start-tracing.ts',
];

/** Modules loaded at run time by their own relative path, so they stay separate files. */
const SEPARATE_MODULES = new Set([path.join(repoRoot, 'packages/kit/src/tracing/start-tracing.ts')]);

export interface BuiltEntry {
  entry: string;
  output: string;
  bytes: number;
  inputs: number;
}

/**
 * The production build: one ES module per entry point (`builtEntryOf`), with the repository's own TypeScript
 * (the entry's workspace and the `@cinema/*` packages it imports) bundled and transpiled once, ahead of time, and
 * every npm dependency left as an import that Node resolves from `node_modules` at run time as it would for the
 * source. Nothing is minified, so stack traces stay readable (source maps are written beside each bundle).
 *
 * Code that finds files next to itself (`new URL('./schema.graphql', import.meta.url)`, the repository root from a
 * module's folder) keeps working: each bundled module's `import.meta.url` is rewritten to the URL of its own source
 * file, computed at run time from the bundle's location.
 */
export async function buildServices(entries: readonly string[] = SERVICE_ENTRIES): Promise<BuiltEntry[]> {
  return Promise.all(entries.map((entry) => buildEntry(path.resolve(repoRoot, entry))));
}

async function buildEntry(entry: string): Promise<BuiltEntry> {
  const output = builtEntryOf(entry);
  const result = await build({
    entryPoints: [entry],
    outfile: output,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: true,
    metafile: true,
    logLevel: 'warning',
    plugins: [keepDependenciesExternal(entry), sourceImportMetaUrl(path.dirname(output))],
  });
  const inputs = Object.keys(result.metafile.inputs).map((input) => path.resolve(process.cwd(), input));
  await writeFile(builtInputsOf(output), JSON.stringify(inputs));
  return { entry, output, bytes: result.metafile.outputs[path.relative(process.cwd(), output)]?.bytes ?? 0, inputs: inputs.length };
}

/** npm packages stay external (except the workspaces' own `@cinema/*` sources), and so do separately built modules. */
function keepDependenciesExternal(entry: string): Plugin {
  return {
    name: 'keep-dependencies-external',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@cinema/') ? undefined : { path: args.path, external: true }));
      build.onResolve({ filter: /^\./ }, (args) => {
        const resolved = path.resolve(args.resolveDir, args.path.replace(/\.js$/, '.ts'));
        return SEPARATE_MODULES.has(resolved) && resolved !== entry ? { path: args.path, external: true } : undefined;
      });
    },
  };
}

/** Rewrites `import.meta.url` in the repository's modules to their source file's URL, relative to the bundle. */
function sourceImportMetaUrl(outputDir: string): Plugin {
  return {
    name: 'source-import-meta-url',
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, async (args) => {
        if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
        const source = await readFile(args.path, 'utf8');
        if (!source.includes('import.meta.url')) return { contents: source, loader: 'ts' };
        const relative = path.relative(outputDir, args.path).split(path.sep).join('/');
        return { contents: source.replaceAll('import.meta.url', `new URL(${JSON.stringify(relative)}, import.meta.url).href`), loader: 'ts' };
      });
    },
  };
}
