import path from 'node:path';
import { parseArgs } from 'node:util';
import { formatImportReport } from '../import/import-report.js';
import { importWikipediaMovies } from '../import/import-wikipedia-movies.js';
import { migrateAll } from '../migrate-all.js';
import { requireDatabaseUrl } from './database-url.js';

const usage = `Usage: npm run db:import -- <folder> [--replace]

Imports the Wikipedia movie data (every movies-*.json of <folder>) as the catalogue, with synthetic ratings
(DATABASE_URL must be set; an empty database is migrated first). Example: npm run db:import -- ../shared/data/wikipedia-movies
  --replace     wipe a non-empty catalogue first, in all three schemas (stop the platform before)`;

interface CommandLine {
  folder: string;
  replace: boolean;
}

function parseCommandLine(args: string[]): CommandLine {
  const { values, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: { help: { type: 'boolean' }, replace: { type: 'boolean' } },
  });
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  const [folder, ...extra] = positionals;
  if (folder === undefined) throw new Error('The folder to import is missing');
  if (extra.length > 0) throw new Error(`One folder only, got also: ${extra.join(' ')}`);
  return { folder: path.resolve(folder), replace: values.replace ?? false };
}

let commandLine: CommandLine;
try {
  commandLine = parseCommandLine(process.argv.slice(2));
} catch (error) {
  console.error(`${error instanceof Error ? error.message : String(error)}\n\n${usage}`);
  process.exit(2);
}

try {
  const url = requireDatabaseUrl();
  await migrateBeforeWriting(url);
  if (commandLine.replace) console.error('--replace: wiping the movies, people and ratings data; the platform must be stopped.');
  const report = await importWikipediaMovies(url, commandLine.folder, { replace: commandLine.replace, onProgress: (line) => console.error(line) });
  console.log(formatImportReport(report));
} catch (error) {
  console.error(`Import failed: ${describeFailure(error)}`);
  process.exitCode = 1;
}

/** A fresh database gets its schemas first, so the command is one step; the lines say what was applied, if anything. */
async function migrateBeforeWriting(url: string): Promise<void> {
  await migrateAll(url, (line) => {
    if (!line.endsWith('up to date')) console.error(line);
  });
}

/**
 * Expected failures carry a code (ours, PostgreSQL's, the system's, e.g. ECONNREFUSED) and their message says it
 * all; anything else is a bug and keeps its stack.
 */
function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if ('code' in error) return error.message || String(error.code);
  return error.stack ?? error.message;
}
