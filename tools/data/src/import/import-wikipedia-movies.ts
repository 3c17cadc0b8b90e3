import { formatCount } from '../seed/format-count.js';
import { ratingCapacity } from '../seed/generate-ratings.js';
import { prepareEmptyCatalogue } from '../seed/prepare-empty-catalogue.js';
import { Random } from '../seed/random.js';
import { writeCatalogue } from '../seed/write-catalogue.js';
import { buildImportCatalogue } from './build-import-catalogue.js';
import { ImportError } from './import-error.js';
import type { ImportReport } from './import-report.js';
import { mergeMovieRecords } from './merge-movie-records.js';
import { parseMovieRecord, type SkipReason } from './parse-movie-record.js';
import { readMovieFiles } from './read-movie-files.js';
import type { WikipediaMovie } from './wikipedia-movie.js';

export interface ImportOptions {
  /** Wipe the data of all three schemas first instead of refusing a non-empty catalogue. */
  replace?: boolean;
  onProgress?: (line: string) => void;
  /** Average synthetic ratings per film; by default about 100,000 in all, like the seed. */
  ratingsPerMovie?: number;
}

/** Synthetic raters and the total they give when `ratingsPerMovie` is not set. */
const syntheticUsers = 3_000;
const defaultRatings = 100_000;
/** Fixed, so that importing the same files twice gives the same ratings. */
const ratingsSeed = 1972;

/**
 * Loads the Wikipedia movie data (`movies-*.json` files) as the platform's catalogue: cleans and validates every
 * record, merges duplicates, turns cast lists into people and credits, and adds synthetic ratings. Everything is read
 * and checked before the database is touched; a non-empty catalogue is refused unless `replace` is set.
 */
export async function importWikipediaMovies(connectionString: string, folder: string, options: ImportOptions = {}): Promise<ImportReport> {
  const started = performance.now();
  const onProgress = options.onProgress ?? (() => undefined);
  const { files, records } = await readMovieFiles(folder, onProgress);
  const { films, skipped, castEntriesDropped } = parseRecords(records);
  const { movies, merged } = mergeMovieRecords(films);
  onProgress(
    `cleaned ${formatCount(records.length)} records: ${formatCount(movies.length)} films, ${formatCount(merged)} merged, ${formatCount(records.length - films.length)} skipped`,
  );
  const ratings = ratingTotal(movies.length, options.ratingsPerMovie);

  await prepareEmptyCatalogue(connectionString, {
    wipe: options.replace ?? false,
    refusal: 'The catalogue is not empty; import with --replace to wipe all three schemas first (stop the platform before).',
  });
  const data = buildImportCatalogue(movies, { users: syntheticUsers, ratings, random: new Random(ratingsSeed) });
  const genres = await writeCatalogue(connectionString, data, onProgress);
  return {
    files: files.length,
    recordsRead: records.length,
    imported: movies.length,
    merged,
    skipped,
    castEntriesDropped,
    people: data.people.length,
    credits: data.credits.length,
    genres,
    users: data.userIds.length,
    ratings: data.ratings.count,
    durationMs: Math.round(performance.now() - started),
  };
}

interface ParsedRecords {
  films: WikipediaMovie[];
  skipped: Partial<Record<SkipReason, number>>;
  castEntriesDropped: number;
}

function parseRecords(records: readonly unknown[]): ParsedRecords {
  const parsed: ParsedRecords = { films: [], skipped: {}, castEntriesDropped: 0 };
  for (const record of records) {
    const result = parseMovieRecord(record);
    if (result.ok) {
      parsed.films.push(result.movie);
      parsed.castEntriesDropped += result.droppedCastEntries;
    } else {
      parsed.skipped[result.reason] = (parsed.skipped[result.reason] ?? 0) + 1;
    }
  }
  return parsed;
}

function ratingTotal(movies: number, ratingsPerMovie: number | undefined): number {
  const capacity = ratingCapacity(movies, syntheticUsers);
  if (ratingsPerMovie === undefined) return Math.min(defaultRatings, capacity);
  const total = Math.round(ratingsPerMovie * movies);
  if (!Number.isFinite(ratingsPerMovie) || ratingsPerMovie < 0 || total > capacity) {
    throw new ImportError('INVALID_OPTIONS', `ratingsPerMovie must be between 0 and ${capacity / Math.max(1, movies)}, got ${ratingsPerMovie}`);
  }
  return total;
}
