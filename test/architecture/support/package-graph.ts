import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import ts from 'typescript';

/** A package of the repository: the root package or one of its npm workspaces. */
export interface Workspace {
  name: string;
  /** Absolute folder of its package.json. */
  dir: string;
  /** Everything its package.json declares: dependencies, devDependencies, peer and optional dependencies. */
  declared: ReadonlySet<string>;
  /** The keys of its package.json `exports` (`.`, `./database`), or null when it has no `exports` field. */
  exports: ReadonlySet<string> | null;
}

/**
 * Packages from lowest to highest. A package may import packages of lower layers only: never a higher one, never
 * another package of its own layer (so two services never import each other, and the order has no cycles).
 */
export interface Layer {
  name: string;
  packages: readonly string[];
}

export type ViolationRule = 'upward' | 'same-layer' | 'relative-crossing' | 'undeclared' | 'unexported' | 'unlayered';

export interface Violation {
  rule: ViolationRule;
  /** Path relative to the repository root, with `/` separators. */
  file: string;
  specifier: string;
  message: string;
}

/** Folders that hold no source of the package they sit in. */
const SKIPPED_FOLDERS = new Set(['node_modules', 'dist', '.git', '.data', '.turbo', 'coverage', 'artifacts']);

/** Folders of code that drives packages from outside (tests, benchmarks), left out of the check, see below. */
const DRIVER_FOLDERS = new Set(['test', 'bench']);
const SOURCE_FILE = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;

/** Reads the root package.json and each workspace's package.json its `workspaces` globs (`dir` or `dir/*`) name. */
export function readWorkspaces(root: string): Workspace[] {
  const rootManifest = readManifest(root);
  const patterns = (rootManifest.workspaces as string[] | undefined) ?? [];
  const dirs = patterns.flatMap((pattern) => {
    if (!pattern.endsWith('/*')) return [path.join(root, pattern)];
    const parent = path.join(root, pattern.slice(0, -2));
    return existsSync(parent) ? readdirSync(parent).map((child) => path.join(parent, child)) : [];
  });
  return [root, ...dirs.filter((dir) => existsSync(path.join(dir, 'package.json')))].map((dir) => workspaceOf(dir, readManifest(dir)));
}

function readManifest(dir: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
}

function workspaceOf(dir: string, manifest: Record<string, unknown>): Workspace {
  const declared = new Set<string>();
  for (const field of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) {
    for (const name of Object.keys((manifest[field] as Record<string, string> | undefined) ?? {})) declared.add(name);
  }
  const exportsField = manifest.exports;
  const exports = exportsField === undefined ? null : new Set(typeof exportsField === 'string' ? ['.'] : Object.keys(exportsField as object));
  return { name: manifest.name as string, dir, declared, exports };
}

/**
 * The production source files of every workspace: everything but `test/` and `bench/` folders (and built or
 * installed files). Tests and benchmarks are left out on purpose: they drive packages from above all of them and
 * measure or check their internals by relative path (a router benchmark times `send-to-replica.ts` itself); the
 * rules here are about the code that ships.
 */
export function productionSourceFiles(workspaces: readonly Workspace[]): string[] {
  const roots = new Set(workspaces.map((workspace) => workspace.dir));
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir)) {
      const full = path.join(dir, entry);
      if (statSync(full).isDirectory()) {
        // A nested workspace is walked as its own root.
        if (!SKIPPED_FOLDERS.has(entry) && !DRIVER_FOLDERS.has(entry) && !roots.has(full)) walk(full);
      } else if (SOURCE_FILE.test(entry) && !entry.endsWith('.d.ts')) {
        files.push(full);
      }
    }
  };
  for (const root of roots) walk(root);
  return files;
}

/** Every module specifier a file imports: static and dynamic imports, `export … from`, `require`, type imports. */
export function importSpecifiers(source: string): string[] {
  return ts.preProcessFile(source, true, true).importedFiles.map((file) => file.fileName);
}

/** `@scope/name/sub/path` → `@scope/name`; `name/sub` → `name`. */
function packageNameOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

function isBuiltin(specifier: string): boolean {
  return specifier.startsWith('node:') || builtinModules.includes(packageNameOf(specifier));
}

function exportMatches(key: string, subpath: string): boolean {
  if (!key.includes('*')) return key === subpath;
  const [prefix = '', suffix = ''] = key.split('*');
  return subpath.startsWith(prefix) && subpath.endsWith(suffix) && subpath.length >= prefix.length + suffix.length;
}

/**
 * Checks every import of `files` (absolute paths, read from disk unless `read` says otherwise) against the layers:
 *  - `upward`: a package imports a package of a higher layer;
 *  - `same-layer`: a package imports another package of its own layer (one service importing another);
 *  - `relative-crossing`: a relative import lands in another package, bypassing its declared exports;
 *  - `undeclared`: a package imports a package its package.json does not declare (it resolves only by hoisting);
 *  - `unexported`: a workspace is imported by a subpath its `exports` does not declare;
 *  - `unlayered`: a workspace that imports or is imported has no layer, so nothing says where it may stand.
 */
export function checkPackageGraph(
  root: string,
  workspaces: readonly Workspace[],
  layers: readonly Layer[],
  files: readonly string[],
  read: (file: string) => string = (file) => readFileSync(file, 'utf8'),
): Violation[] {
  const byName = new Map(workspaces.map((workspace) => [workspace.name, workspace]));
  const layerOf = new Map<string, number>();
  layers.forEach((layer, index) => {
    for (const name of layer.packages) layerOf.set(name, index);
  });
  // The deepest workspace folder holding a file owns it (the root package owns what no workspace holds).
  const bySpecificity = [...workspaces].sort((a, b) => b.dir.length - a.dir.length);
  const ownerOf = (file: string): Workspace | undefined =>
    bySpecificity.find((workspace) => file === workspace.dir || file.startsWith(workspace.dir + path.sep));

  const violations: Violation[] = [];
  for (const file of files) {
    const from = ownerOf(file);
    if (!from) continue;
    const relativeFile = path.relative(root, file).split(path.sep).join('/');
    const report = (rule: ViolationRule, specifier: string, message: string) => violations.push({ rule, file: relativeFile, specifier, message });

    for (const specifier of importSpecifiers(read(file))) {
      if (isBuiltin(specifier)) continue;
      let to: Workspace | undefined;
      if (specifier.startsWith('.') || specifier.startsWith('/')) {
        to = ownerOf(path.resolve(path.dirname(file), specifier));
        if (!to || to === from) continue;
        report('relative-crossing', specifier, `${from.name} reaches into ${to.name} by relative path; import it by its package name and a declared export`);
      } else {
        const name = packageNameOf(specifier);
        to = byName.get(name);
        if (to !== from && !from.declared.has(name) && !from.declared.has(`@types/${name.replace(/^@(.*)\//, '$1__')}`)) {
          report('undeclared', specifier, `${from.name} imports ${name} without declaring it in its package.json`);
        }
        if (!to) continue;
        const subpath = specifier === name ? '.' : `.${specifier.slice(name.length)}`;
        const exported = to.exports === null ? subpath === '.' : [...to.exports].some((key) => exportMatches(key, subpath));
        if (!exported) report('unexported', specifier, `${to.name} does not declare the export ${subpath}`);
        if (to === from) continue;
      }
      const fromLayer = layerOf.get(from.name);
      const toLayer = layerOf.get(to.name);
      if (fromLayer === undefined || toLayer === undefined) {
        const unlayered = fromLayer === undefined ? from.name : to.name;
        report('unlayered', specifier, `${unlayered} belongs to no layer of the package graph`);
      } else if (toLayer > fromLayer) {
        report('upward', specifier, `${from.name} (${layers[fromLayer]?.name}) imports ${to.name} of a higher layer (${layers[toLayer]?.name})`);
      } else if (toLayer === fromLayer) {
        report('same-layer', specifier, `${from.name} imports ${to.name} of its own layer (${layers[fromLayer]?.name})`);
      }
    }
  }
  return violations;
}
