import { parseArgs } from 'node:util';
import { describeFailure, parseCommandLineOrExit } from '@cinema/kit/command-line';
import { CatalogueError } from '../seed/catalogue-error.js';
import { formatCount } from '../seed/format-count.js';
import { defaultSeed, seedDatabase, type SeedOptions } from '../seed/seed-database.js';
import { formatSeedReport } from '../seed/seed-report.js';
import { defaultSeedSizes, seedScales, type SeedScale, type SeedSizes } from '../seed/seed-sizes.js';
import { requireDatabaseUrl } from './database-url.js';
import { migrateBeforeWriting } from './migrate-before-writing.js';

const scaleNames = Object.keys(seedScales) as SeedScale[];
const usage = `Usage: npm run db:seed -- [--force] [--scale ${scaleNames.join('|')}] [--movies N] [--users N] [--ratings N] [--seed N]

Fills an empty catalogue with a deterministic synthetic one (DATABASE_URL must be set; an empty database is migrated first).
  --force       wipe a non-empty catalogue first, in all three schemas (stop the platform before)
  --scale S     a rating volume: ${scaleNames.map((name) => `${name} = ${formatCount(seedScales[name].ratings)} ratings from ${formatCount(seedScales[name].users)} users`).join(', ')}
  --movies N    number of movies (default ${formatCount(defaultSeedSizes.movies)})
  --users N     number of users (default ${formatCount(defaultSeedSizes.users)})
  --ratings N   number of ratings (default ${formatCount(defaultSeedSizes.ratings)})
  --seed N      seed of the pseudo-random generator (default ${defaultSeed}); same seed, same catalogue`;

function parseCommandLine(args: string[]): SeedOptions {
  const { values } = parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      help: { type: 'boolean' },
      force: { type: 'boolean' },
      scale: { type: 'string' },
      movies: { type: 'string' },
      users: { type: 'string' },
      ratings: { type: 'string' },
      seed: { type: 'string' },
    },
  });
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  const scale: Partial<SeedSizes> = {};
  if (values.scale !== undefined) {
    if (!(values.scale in seedScales)) throw new Error(`--scale expects one of ${scaleNames.join(', ')}, got "${values.scale}"`);
    Object.assign(scale, seedScales[values.scale as SeedScale]);
  }
  if (values.movies !== undefined) scale.movies = wholeNumber('--movies', values.movies);
  if (values.users !== undefined) scale.users = wholeNumber('--users', values.users);
  if (values.ratings !== undefined) scale.ratings = wholeNumber('--ratings', values.ratings);
  const options: SeedOptions = { force: values.force ?? false, scale };
  if (values.seed !== undefined) options.seed = wholeNumber('--seed', values.seed);
  return options;
}

function wholeNumber(flag: string, text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value)) throw new Error(`${flag} expects a whole number, got "${text}"`);
  return value;
}

const options = parseCommandLineOrExit(parseCommandLine, usage);

try {
  const url = requireDatabaseUrl();
  await migrateBeforeWriting(url);
  const report = await seedDatabase(url, { ...options, onProgress: (line) => console.error(line) });
  console.log(formatSeedReport(report));
} catch (error) {
  console.error(`Seed failed: ${describeFailure(error)}`);
  process.exitCode = error instanceof CatalogueError && error.code === 'INVALID_SEED_OPTIONS' ? 2 : 1;
}
