import { cleanCast } from './clean-cast.js';
import { normalizeGenre } from './normalize-genre.js';
import type { WikipediaMovie } from './wikipedia-movie.js';

/** Why a record was left out of the import; the report counts records per reason. */
export type SkipReason = 'not-an-object' | 'missing-title' | 'invalid-title' | 'invalid-year' | 'year-out-of-range' | `invalid-${OptionalField}`;

type OptionalField = 'cast' | 'genres' | 'href' | 'extract' | 'thumbnail';

export type ParsedRecord = { ok: true; movie: WikipediaMovie; droppedCastEntries: number } | { ok: false; reason: SkipReason };

/** The years the movies schema accepts (its check constraint). */
const yearRange = { min: 1850, max: 2200 } as const;

/** Thrown inside parsing only, to leave a record with its reason; never escapes `parseMovieRecord`. */
class Skip extends Error {
  constructor(readonly reason: SkipReason) {
    super(reason);
  }
}

/**
 * Validates and cleans one record of the Wikipedia data. Never throws: the data is scraped, and one odd record
 * (not an object, no title, a year as text or out of range, a field of the wrong type) must cost that record only,
 * with a reason the report can show. Missing optional fields are fine; present ones must have the right type.
 */
export function parseMovieRecord(value: unknown): ParsedRecord {
  try {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Skip('not-an-object');
    const record = value as Record<string, unknown>;
    const title = parseTitle(record.title);
    const year = parseYear(record.year);
    const rawCast = optionalArray(record, 'cast');
    const cast = cleanCast(rawCast);
    const movie: WikipediaMovie = {
      title,
      year,
      cast,
      genres: parseGenres(optionalArray(record, 'genres')),
      slug: optionalText(record, 'href')?.replaceAll(' ', '_') ?? null,
      extract: optionalText(record, 'extract'),
      thumbnail: optionalText(record, 'thumbnail'),
    };
    return { ok: true, movie, droppedCastEntries: rawCast.length - cast.length };
  } catch (error) {
    if (error instanceof Skip) return { ok: false, reason: error.reason };
    throw error;
  }
}

function parseTitle(value: unknown): string {
  if (value === undefined || value === null) throw new Skip('missing-title');
  if (typeof value !== 'string') throw new Skip('invalid-title');
  const title = value.replace(/\s+/g, ' ').trim();
  if (title === '') throw new Skip('missing-title');
  return title;
}

function parseYear(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new Skip('invalid-year');
  if (value < yearRange.min || value > yearRange.max) throw new Skip('year-out-of-range');
  return value;
}

function parseGenres(labels: readonly unknown[]): string[] {
  const genres = labels.map((label) => (typeof label === 'string' ? normalizeGenre(label) : null));
  return [...new Set(genres.filter((genre) => genre !== null))];
}

function optionalArray(record: Record<string, unknown>, field: OptionalField): unknown[] {
  const value = record[field];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new Skip(`invalid-${field}`);
  return value;
}

/** Trimmed text, null when absent or blank. */
function optionalText(record: Record<string, unknown>, field: OptionalField): string | null {
  const value = record[field];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new Skip(`invalid-${field}`);
  return value.trim() || null;
}
