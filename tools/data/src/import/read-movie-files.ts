import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { formatCount } from '../seed/format-count.js';
import { ImportError } from './import-error.js';

export interface MovieFiles {
  /** File names read, in name order (`movies-1900s.json` first, so records keep chronological order). */
  files: string[];
  /** Every array element of every file, unvalidated. */
  records: unknown[];
}

/** Files of the Wikipedia data set: one per decade. */
const movieFilePattern = /^movies-.*\.json$/;

/**
 * Reads every `movies-*.json` of `folder`. A folder that cannot be read, holds no such file, or a file that is not a
 * JSON array stops the import before anything is written; the records themselves are checked later, one by one.
 */
export async function readMovieFiles(folder: string, onProgress: (line: string) => void): Promise<MovieFiles> {
  const files = (await listFolder(folder)).filter((name) => movieFilePattern.test(name)).sort();
  if (files.length === 0) throw new ImportError('NO_INPUT_FILES', `No movies-*.json file in ${folder}`);
  const records: unknown[] = [];
  for (const file of files) {
    const content = parseJsonArray(file, await readFile(path.join(folder, file), 'utf8'));
    for (const record of content) records.push(record);
    onProgress(`read ${file}: ${formatCount(content.length)} records`);
  }
  return { files, records };
}

async function listFolder(folder: string): Promise<string[]> {
  try {
    return await readdir(folder);
  } catch (error) {
    throw new ImportError('FOLDER_NOT_FOUND', `Cannot read the folder ${folder}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function parseJsonArray(file: string, text: string): unknown[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ImportError('INVALID_FILE', `${file} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!Array.isArray(value)) throw new ImportError('INVALID_FILE', `${file} does not hold a JSON array`);
  return value;
}
