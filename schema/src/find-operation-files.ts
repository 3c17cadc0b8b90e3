import { readdirSync } from 'node:fs';
import path from 'node:path';

export interface OperationFiles {
  /** `.graphql` files of example and test folders, relative to the root with `/` separators. */
  graphql: string[];
  /** `.ts`/`.tsx` files of test, benchmark and web app folders, relative to the root with `/` separators. */
  typescript: string[];
}

const skippedFolders = new Set(['node_modules', 'dist', 'coverage', 'artifacts', '__generated__']);
const graphqlFolders = new Set(['examples', 'operations', 'test', 'tests', 'bench', 'web']);
const typescriptFolders = new Set(['test', 'tests', 'bench', 'web']);

/**
 * Lists the files whose GraphQL operations the repository sends: `.graphql` files under an `examples/`,
 * `operations/`, `test/`, `bench/` or `web/` folder, and TypeScript under `test/`, `bench/` or `web/` (the web app's
 * colocated operations). Folder names rather than a fixed list, so a new package's tests are covered without
 * touching this check. Dot-folders (`.git`, `.data`), `node_modules`, build output and generated code (codegen's
 * `__generated__`, which repeats every operation) are skipped.
 */
export function findOperationFiles(root: string): OperationFiles {
  const files: OperationFiles = { graphql: [], typescript: [] };
  const walk = (relative: string, folders: readonly string[]): void => {
    for (const entry of readdirSync(path.join(root, relative), { withFileTypes: true })) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!entry.name.startsWith('.') && !skippedFolders.has(entry.name)) walk(child, [...folders, entry.name]);
      } else if (entry.isFile()) {
        if (/\.(graphql|gql)$/.test(entry.name) && folders.some((f) => graphqlFolders.has(f))) files.graphql.push(child);
        if (/\.[cm]?tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') && folders.some((f) => typescriptFolders.has(f))) files.typescript.push(child);
      }
    }
  };
  walk('', []);
  files.graphql.sort();
  files.typescript.sort();
  return files;
}
