import { migrateAll } from '../migrate-all.js';

/**
 * A fresh database gets its schemas first, so seeding or importing is one step; the lines on stderr say what was
 * applied, if anything (stdout stays the command's report).
 */
export async function migrateBeforeWriting(url: string): Promise<void> {
  await migrateAll(url, (line) => {
    if (!line.endsWith('up to date')) console.error(line);
  });
}
