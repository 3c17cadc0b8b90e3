import type { CatalogueData } from './catalogue-data.js';
import { openCatalogueDatabases } from './catalogue-databases.js';
import { vacuumCatalogue } from './vacuum-catalogue.js';
import { writeMoviesSchema } from './write-movies-schema.js';
import { writePeopleSchema } from './write-people-schema.js';
import { writeRatingsSchema } from './write-ratings-schema.js';

/**
 * Writes a catalogue into the three service schemas, one transaction per schema, the three at once: each service
 * owns its schema, so there is no cross-schema transaction to share, and running them side by side roughly halves
 * the load time. Then vacuums and analyzes what it wrote, so the first queries get good plans. Returns the number of
 * genres written.
 */
export async function writeCatalogue(connectionString: string, data: CatalogueData, onProgress: (line: string) => void): Promise<number> {
  const databases = openCatalogueDatabases(connectionString, 'cinema-loader');
  try {
    const [genres, people, ratings] = await Promise.allSettled([
      writeMoviesSchema(databases.movies, data.movies, onProgress),
      writePeopleSchema(databases.people, data.people, data.credits, onProgress),
      writeRatingsSchema(connectionString, data.userIds, data.ratings, onProgress),
    ]);
    // Wait for all three before failing, so no transaction is still running when the pools close.
    for (const result of [genres, people, ratings]) if (result.status === 'rejected') throw result.reason;
    await vacuumCatalogue(connectionString, onProgress);
    return genres.status === 'fulfilled' ? genres.value : 0;
  } finally {
    await databases.destroy();
  }
}
