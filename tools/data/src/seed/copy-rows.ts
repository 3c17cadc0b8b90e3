import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { formatCount } from './format-count.js';

/** A value COPY's text format can carry; null becomes `\N`. */
export type CopyValue = string | number | null;

export interface CopyRowsOptions {
  table: string;
  columns: readonly string[];
  rows: Iterable<readonly CopyValue[]>;
  /** Expected row count, for progress lines such as `ratings 2,000,000/10,000,000`. */
  total: number;
  /** Name shown in progress lines. */
  label: string;
  onProgress: (line: string) => void;
}

/** Rows per chunk handed to the socket: large enough to amortise stream overhead, small enough to stay responsive. */
const rowsPerChunk = 20_000;
/** A progress line every this many rows, and one at the end. */
const rowsPerProgressLine = 1_000_000;

/**
 * Streams rows into a table with `COPY ... FROM STDIN`, generating them as PostgreSQL consumes them: memory stays
 * flat whatever the row count, and the load runs at COPY speed (hundreds of thousands of rows a second) rather than
 * the speed of parameterised INSERTs. Runs on the caller's client, so it joins the caller's transaction.
 */
export async function copyRows(client: pg.ClientBase, options: CopyRowsOptions): Promise<number> {
  const { table, columns, rows, total, label, onProgress } = options;
  const quotedColumns = columns.map((column) => `"${column}"`).join(', ');
  const sink = client.query(copyFrom(`copy "${table}" (${quotedColumns}) from stdin`));
  const started = performance.now();
  let written = 0;
  function* chunks(): Generator<string> {
    let lines: string[] = [];
    for (const row of rows) {
      lines.push(row.map(copyText).join('\t'));
      written++;
      if (lines.length === rowsPerChunk) {
        yield `${lines.join('\n')}\n`;
        lines = [];
      }
      if (written % rowsPerProgressLine === 0 && written < total) onProgress(`${label} ${formatCount(written)}/${formatCount(total)}`);
    }
    if (lines.length > 0) yield `${lines.join('\n')}\n`;
  }
  await pipeline(Readable.from(chunks(), { objectMode: false }), sink);
  onProgress(`${label} ${formatCount(written)}/${formatCount(total)}`);
  const seconds = (performance.now() - started) / 1000;
  if (written >= rowsPerProgressLine)
    onProgress(`${label}: copied ${formatCount(written)} rows in ${seconds.toFixed(1)} s (${formatCount(Math.round(written / seconds))} rows/s)`);
  return written;
}

/** One value in COPY's text format: backslash, tab and line breaks escaped, null as `\N`. */
function copyText(value: CopyValue): string {
  if (value === null) return '\\N';
  if (typeof value === 'number') return String(value);
  return value.replace(/[\\\t\n\r]/g, (char) => (char === '\\' ? '\\\\' : char === '\t' ? '\\t' : char === '\n' ? '\\n' : '\\r'));
}
