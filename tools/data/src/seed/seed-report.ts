import { formatCount } from './format-count.js';

/** What a seed wrote, for the command's summary and for tests. */
export interface SeedReport {
  seed: number;
  movies: number;
  genres: number;
  people: number;
  credits: number;
  users: number;
  ratings: number;
  durationMs: number;
}

/** One line per figure, aligned, for the terminal. */
export function formatSeedReport(report: SeedReport): string {
  const rows: [string, string][] = [
    ['seed', String(report.seed)],
    ['movies', formatCount(report.movies)],
    ['genres', formatCount(report.genres)],
    ['people', formatCount(report.people)],
    ['credits', formatCount(report.credits)],
    ['users', formatCount(report.users)],
    ['ratings', formatCount(report.ratings)],
    ['duration', `${(report.durationMs / 1000).toFixed(1)} s`],
  ];
  return rows.map(([label, value]) => `${label.padEnd(10)}${value}`).join('\n');
}
