import path from 'node:path';
import { parseArgs } from 'node:util';
import { describeFailure, parseCommandLineOrExit } from '@cinema/kit/command-line';
import { formatImportReport } from '../import/import-report.js';
import { importWikipediaMovies } from '../import/import-wikipedia-movies.js';
import { requireDatabaseUrl } from './database-url.js';
import { migrateBeforeWriting } from './migrate-before-writing.js';

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

const commandLine = parseCommandLineOrExit(parseCommandLine, usage);

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
