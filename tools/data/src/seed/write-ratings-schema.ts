import type { CatalogueRatings } from './catalogue-data.js';
import { connectToSchema } from './connect-to-schema.js';
import { copyRows } from './copy-rows.js';
import { formatCount } from './format-count.js';
import { loadWithoutIndexes } from './load-without-indexes.js';

/**
 * Writes users and ratings, then rebuilds the statistics with the schema's own `recompute_statistics()`, all in one
 * transaction: the service reads averages and rankings, never recomputes them, so they must be right the moment the
 * ratings become visible. The catalogue projection and its feed cursor are the ratings service's to fill.
 *
 * Both tables are loaded with COPY, the ratings streamed from their generator with the table's indexes rebuilt
 * afterwards, which is what makes a 10-million-rating seed a matter of a minute rather than of an hour.
 */
export async function writeRatingsSchema(
  connectionString: string,
  userIds: readonly string[],
  ratings: CatalogueRatings,
  onProgress: (line: string) => void,
): Promise<void> {
  const client = await connectToSchema(connectionString, 'ratings', 'cinema-loader');
  try {
    await client.query('begin');
    await copyRows(client, { table: 'users', columns: ['id'], rows: userIds.map((id) => [id]), total: userIds.length, label: 'users', onProgress });
    await loadWithoutIndexes(
      client,
      'ratings',
      () =>
        copyRows(client, {
          table: 'ratings',
          columns: ['user_id', 'movie_id', 'score'],
          rows: ratingRows(ratings),
          total: ratings.count,
          label: 'ratings',
          onProgress,
        }),
      onProgress,
    );
    const started = performance.now();
    await client.query('select recompute_statistics()');
    onProgress(`rating statistics recomputed over ${formatCount(ratings.count)} ratings in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

function* ratingRows(ratings: CatalogueRatings): Generator<readonly [string, number, number]> {
  for (const rating of ratings.rows()) yield [rating.userId, rating.movieId, rating.score];
}
