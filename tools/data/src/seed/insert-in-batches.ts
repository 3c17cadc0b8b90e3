import { formatCount } from './format-count.js';

/** PostgreSQL binds at most 65,535 parameters per statement; batches stay under it with room to spare. */
const maxParametersPerStatement = 60_000;

export interface BatchInsert<Row extends object> {
  /** Name shown in progress lines, e.g. `credits 40,000/44,864`. */
  label: string;
  rows: readonly Row[];
  insert: (batch: Row[]) => Promise<unknown>;
  onProgress: (line: string) => void;
}

/**
 * Inserts many rows as few multi-row statements, each as large as the parameter limit allows: row-by-row inserts
 * would make the seed a matter of minutes instead of seconds.
 */
export async function insertInBatches<Row extends object>({ label, rows, insert, onProgress }: BatchInsert<Row>): Promise<void> {
  const columns = rows[0] ? Object.keys(rows[0]).length : 1;
  const batchSize = Math.floor(maxParametersPerStatement / columns);
  for (let start = 0; start < rows.length; start += batchSize) {
    await insert(rows.slice(start, start + batchSize));
    onProgress(`${label} ${formatCount(Math.min(start + batchSize, rows.length))}/${formatCount(rows.length)}`);
  }
}
