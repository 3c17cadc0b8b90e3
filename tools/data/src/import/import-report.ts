import { formatCount } from '../seed/format-count.js';
import type { SkipReason } from './parse-movie-record.js';

/** What an import read, kept, merged, skipped and wrote: the only way to know how messy the input was. */
export interface ImportReport {
  files: number;
  recordsRead: number;
  /** Films written, after merging duplicates. */
  imported: number;
  /** Records folded into an earlier record of the same film. */
  merged: number;
  /** Records left out, per reason. */
  skipped: Partial<Record<SkipReason, number>>;
  /** Cast entries that were debris, duplicates or suffixes re-attached to the previous name. */
  castEntriesDropped: number;
  people: number;
  credits: number;
  genres: number;
  users: number;
  /** Synthetic ratings generated for the imported films. */
  ratings: number;
  durationMs: number;
}

/** One line per figure, aligned, with the skip reasons indented under their total. */
export function formatImportReport(report: ImportReport): string {
  const skipped = Object.entries(report.skipped).sort(([a], [b]) => a.localeCompare(b));
  const rows: [string, string][] = [
    ['files', formatCount(report.files)],
    ['records read', formatCount(report.recordsRead)],
    ['imported', formatCount(report.imported)],
    ['merged', formatCount(report.merged)],
    ['skipped', formatCount(skipped.reduce((sum, [, count]) => sum + count, 0))],
    ...skipped.map(([reason, count]): [string, string] => [`  ${reason}`, formatCount(count)]),
    ['cast debris', formatCount(report.castEntriesDropped)],
    ['people', formatCount(report.people)],
    ['credits', formatCount(report.credits)],
    ['genres', formatCount(report.genres)],
    ['users', formatCount(report.users)],
    ['ratings', formatCount(report.ratings)],
    ['duration', `${(report.durationMs / 1000).toFixed(1)} s`],
  ];
  return rows.map(([label, value]) => `${label.padEnd(20)}${value}`).join('\n');
}
