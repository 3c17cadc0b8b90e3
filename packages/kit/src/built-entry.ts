import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * Where the production build (`npm run build`) writes the JavaScript of a TypeScript entry point, and where
 * `startServiceProcess` looks for it: `<folder>/src/<name>.ts` → `<folder>/dist/<name>.js` (the last `src`
 * segment is replaced), any other `<folder>/<name>.ts` → `<folder>/dist/<name>.js`. Each bundle stays inside its own
 * workspace folder, so the packages it leaves external resolve from that workspace's `node_modules` first, exactly
 * as they do for the TypeScript source.
 */
export function builtEntryOf(entry: string): string {
  const parts = entry.split(path.sep);
  const src = parts.lastIndexOf('src');
  const base = path.basename(entry).replace(/\.[cm]?tsx?$/, '.js');
  if (src >= 0) return path.join(parts.slice(0, src).join(path.sep) || path.sep, 'dist', ...parts.slice(src + 1, -1), base);
  return path.join(path.dirname(entry), 'dist', base);
}

/** The tracing preload of every service, as TypeScript (development) and as built by `npm run build`. */
export const TRACING_REGISTER_SOURCE = new URL('./tracing/register.ts', import.meta.url).pathname;

/** How a service process runs its code. */
export type ServiceRuntime = 'typescript' | 'built';

/**
 * Production mode (`NODE_ENV=production`) runs the built JavaScript: no TypeScript transpiler hooks in the process,
 * nothing compiled at run time. Any other mode runs the TypeScript sources through tsx, so a fresh clone needs no
 * build step and edits take effect on the next start.
 */
export const serviceRuntimeFor = (env: NodeJS.ProcessEnv): ServiceRuntime => (env.NODE_ENV === 'production' ? 'built' : 'typescript');

/**
 * Node flags of every service process in production mode (the launcher's and the images' `NODE_OPTIONS`). A larger
 * young generation (semi-space 64 MB instead of V8's 16 MB) lets the short-lived objects of a deep federated query
 * (thousands of entities parsed, resolved and serialised per subgraph request) die young instead of being promoted
 * and collected by full GCs: measured with bench/cpu-per-request.ts on Q2, the subgraphs' CPU per request fell by
 * 20 to 40 % (garbage collection was a third of a subgraph's busy time), for at most 128 MB more heap per process.
 */
export const PRODUCTION_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=64'];

/** Raised when production mode is asked for but the build is missing or older than its source entry. */
export class MissingBuildError extends Error {
  readonly code = 'BUILD_MISSING';
  constructor(
    readonly entry: string,
    readonly built: string,
  ) {
    super(
      `${path.relative(process.cwd(), built) || built} is missing or older than ${path.relative(process.cwd(), entry) || entry}: run \`npm run build\` (NODE_ENV=production runs the built JavaScript)`,
    );
    this.name = 'MissingBuildError';
  }
}

/** Beside each bundle, the build lists the absolute paths of the source files it was made of. */
export const builtInputsOf = (built: string): string => `${built}.inputs.json`;

/**
 * The built file for `entry`, or a {@link MissingBuildError} when there is none or any source file it was built from
 * changed since: production mode must never run code older than the sources it claims to be.
 */
export function requireBuiltEntry(entry: string): string {
  const built = builtEntryOf(entry);
  if (!existsSync(built) || !existsSync(builtInputsOf(built))) throw new MissingBuildError(entry, built);
  const builtAt = statSync(built).mtimeMs;
  const inputs = JSON.parse(readFileSync(builtInputsOf(built), 'utf8')) as string[];
  if (inputs.some((input) => !existsSync(input) || statSync(input).mtimeMs > builtAt)) throw new MissingBuildError(entry, built);
  return built;
}
