import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { queryLabels, queryNames, type LatencySummary, type QueryName } from './ratings-scale-measure.js';

export interface ScaleResult {
  scale: string;
  ratings: number;
  users: number;
  movies: number;
  seedMs: number;
  /** The seed's own timing lines (COPY, index rebuild, statistics, vacuum). */
  seedPhases: string[];
  queries: Record<QueryName, LatencySummary>;
}

export interface ReportInput {
  results: ScaleResult[];
  importMs: number | null;
  importedMovies: number | null;
  environment: string[];
}

const ms = (value: number) => (value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(3));
const count = (value: number) => value.toLocaleString('en-US');
const colours: Record<QueryName, string> = {
  topRatedMaintained: '#1b7837',
  topRatedOnTheFly: '#c51b7d',
  averageMaintained: '#2166ac',
  averageOnTheFly: '#e08214',
};

/** Writes the Markdown report and its SVG plot into `folder`. */
export function writeRatingsScaleReport(folder: string, input: ReportInput): void {
  writeFileSync(path.join(folder, 'ratings-scale.svg'), latencyPlot(input.results));
  writeFileSync(path.join(folder, 'ratings-scale.md'), markdown(input));
}

function markdown({ results, importMs, importedMovies, environment }: ReportInput): string {
  const largest = results.at(-1)!;
  const ratio = (result: ScaleResult, slow: QueryName, fast: QueryName) => result.queries[slow].p50 / result.queries[fast].p50;
  const lines = [
    '# Ratings and catalogue queries at scale',
    '',
    'Written by `npx tsx bench/ratings-scale.bench.ts` (needs `DATABASE_URL`; creates, fills and drops its own databases). Do not edit by hand.',
    '',
    '## What is measured',
    '',
    "At each size the synthetic catalogue (5,000 films, 18 genres) is seeded with `npm run db:seed -- --scale <size>` into a fresh database, the ratings service's genre projection is filled from the movies service's catalogue feed, and the tables are vacuumed and analyzed. Then, warm cache, one connection, one query at a time:",
    '',
    ...queryNames.map((name) => `- **${name}**: ${queryLabels[name]}`),
    '',
    "Latency is the round trip of the exact statement through Kysely and the pg driver on the same host (Kysely's own `queryDurationMillis`), so it includes protocol overhead but no GraphQL. The maintained queries run the repository functions the service calls (`findTopRatedMovieIds`, `findStatsOfMovies`); `topRatedMovies` cycles through all genres, `averageRating` through every 25th film by popularity, from the most rated to the least.",
    '',
    '## Environment',
    '',
    ...environment.map((line) => `- ${line}`),
    '',
    'The machine is shared (other services and benchmarks may run at the same time on its two cores), so the p99 of sub-millisecond queries mostly measures scheduling noise; the p50 is the figure to compare.',
    '',
    '## Results',
    '',
    '![Query latency against the number of ratings](ratings-scale.svg)',
    '',
    `| query | ${results.map((r) => `${r.scale} p50 / p99 (ms)`).join(' | ')} |`,
    `| --- | ${results.map(() => '---').join(' | ')} |`,
    ...queryNames.map(
      (name) => `| ${name} | ${results.map((r) => `${ms(r.queries[name].p50)} / ${ms(r.queries[name].p99)} (n=${r.queries[name].samples})`).join(' | ')} |`,
    ),
    `| **topRatedMovies: on the fly ÷ maintained (p50)** | ${results.map((r) => `**${Math.round(ratio(r, 'topRatedOnTheFly', 'topRatedMaintained')).toLocaleString('en-US')}×**`).join(' | ')} |`,
    `| **averageRating: on the fly ÷ maintained (p50)** | ${results.map((r) => `**${Math.round(ratio(r, 'averageOnTheFly', 'averageMaintained')).toLocaleString('en-US')}×**`).join(' | ')} |`,
    '',
    `At ${largest.scale} ratings, \`topRatedMovies\` answers in ${ms(largest.queries.topRatedMaintained.p50)} ms at the median (aim: under 2 ms) and ${ms(largest.queries.topRatedMaintained.p99)} ms at p99, ${Math.round(ratio(largest, 'topRatedOnTheFly', 'topRatedMaintained')).toLocaleString('en-US')} times faster than the on-the-fly aggregate (aim: at least 100 times). The maintained queries stay flat as the data grows a hundredfold, because their cost depends on the size of the answer (10 rows of an index range, one primary-key row), not on the number of ratings; the on-the-fly ones grow with the ratings they must read.`,
    '',
    '## Load times',
    '',
    '| data | users | time | phases |',
    '| --- | --- | --- | --- |',
    ...results.map((r) => `| seed, ${count(r.ratings)} ratings | ${count(r.users)} | ${(r.seedMs / 1000).toFixed(1)} s | ${r.seedPhases.join('; ')} |`),
    importMs === null
      ? '| Wikipedia import | – | not run: ../shared/data/wikipedia-movies is missing | |'
      : `| Wikipedia import, ${count(importedMovies ?? 0)} films, 100,000 synthetic ratings | 3,000 | ${(importMs / 1000).toFixed(1)} s | read, clean, merge, write three schemas, vacuum |`,
    '',
    "The seed streams the ratings into `COPY ... FROM STDIN` as it generates them (9 bytes of typed arrays per rating, user by user), with the ratings table's keys and indexes dropped during the load and rebuilt from their catalogued definitions afterwards, then recomputes every statistic with `recompute_statistics()`, all in one transaction.",
    '',
    `## Query plans at ${largest.scale} ratings`,
    '',
    'For the genre with the most votes and the most-rated film, the worst cases of the on-the-fly queries.',
    '',
    ...queryNames.flatMap((name) => [`### ${name}`, '', '```sql', largest.queries[name].sql, '```', '', '```', largest.queries[name].plan, '```', '']),
    '## Plans at the smaller sizes',
    '',
    ...results
      .slice(0, -1)
      .flatMap((r) => [
        `<details><summary>${r.scale} ratings</summary>`,
        '',
        ...queryNames.flatMap((name) => [`**${name}**`, '', '```', r.queries[name].plan, '```', '']),
        '</details>',
        '',
      ]),
  ];
  return `${lines.join('\n')}\n`;
}

/** Log-log plot of p50 (solid) and p99 (dashed) latency against the number of ratings. */
function latencyPlot(results: readonly ScaleResult[]): string {
  const width = 760;
  const height = 420;
  const margin = { left: 70, right: 20, top: 30, bottom: 110 };
  const xs = results.map((r) => r.ratings);
  const values = results.flatMap((r) => queryNames.flatMap((name) => [r.queries[name].p50, r.queries[name].p99]));
  const [minX, maxX] = [Math.log10(Math.min(...xs)), Math.log10(Math.max(...xs))];
  const minY = Math.floor(Math.log10(Math.min(...values)));
  const maxY = Math.ceil(Math.log10(Math.max(...values)));
  const x = (ratings: number) => margin.left + ((Math.log10(ratings) - minX) / Math.max(maxX - minX, 1e-9)) * (width - margin.left - margin.right);
  const y = (latency: number) => height - margin.bottom - ((Math.log10(latency) - minY) / (maxY - minY)) * (height - margin.top - margin.bottom);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${width / 2}" y="18" text-anchor="middle" font-size="14">Query latency against data size (log–log; solid p50, dashed p99)</text>`,
  ];
  for (let exponent = minY; exponent <= maxY; exponent++) {
    const value = 10 ** exponent;
    parts.push(`<line x1="${margin.left}" x2="${width - margin.right}" y1="${y(value)}" y2="${y(value)}" stroke="#ddd"/>`);
    parts.push(`<text x="${margin.left - 6}" y="${y(value) + 4}" text-anchor="end">${value >= 1 ? value.toLocaleString('en-US') : value} ms</text>`);
  }
  for (const r of results) {
    parts.push(`<line x1="${x(r.ratings)}" x2="${x(r.ratings)}" y1="${margin.top}" y2="${height - margin.bottom}" stroke="#eee"/>`);
    parts.push(`<text x="${x(r.ratings)}" y="${height - margin.bottom + 16}" text-anchor="middle">${r.scale} ratings</text>`);
  }
  for (const name of queryNames) {
    for (const [percentile, dash] of [
      ['p50', ''],
      ['p99', ' stroke-dasharray="5 4"'],
    ] as const) {
      const points = results.map((r) => `${x(r.ratings).toFixed(1)},${y(r.queries[name][percentile]).toFixed(1)}`).join(' ');
      parts.push(`<polyline points="${points}" fill="none" stroke="${colours[name]}" stroke-width="2"${dash}/>`);
      if (percentile === 'p50')
        for (const r of results)
          parts.push(`<circle cx="${x(r.ratings).toFixed(1)}" cy="${y(r.queries[name].p50).toFixed(1)}" r="3.5" fill="${colours[name]}"/>`);
    }
  }
  queryNames.forEach((name, index) => {
    const top = height - margin.bottom + 36 + index * 17;
    parts.push(`<line x1="${margin.left}" x2="${margin.left + 24}" y1="${top - 4}" y2="${top - 4}" stroke="${colours[name]}" stroke-width="2"/>`);
    parts.push(`<text x="${margin.left + 30}" y="${top}">${escapeXml(queryLabels[name])}</text>`);
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

const escapeXml = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
