import type { Kysely } from 'kysely';
import type { RatingsDatabase } from './db/database.js';

export interface TopRatedQuery {
  genre: string;
  limit: number;
  minVotes: number;
}

/**
 * The best movies of a genre: one range scan of `genre_rankings_rank_idx` in rank order, reading the weighted
 * scores maintained on every rating write rather than aggregating ratings.
 */
export async function findTopRatedMovieIds(db: Kysely<RatingsDatabase>, query: TopRatedQuery): Promise<number[]> {
  const rows = await db
    .selectFrom('genre_rankings')
    .select('movie_id')
    .where('genre', '=', query.genre)
    .where('rating_count', '>=', query.minVotes)
    .orderBy('weighted_score', 'desc')
    .orderBy('rating_count', 'desc')
    .orderBy('movie_id')
    .limit(query.limit)
    .execute();
  return rows.map((row) => row.movie_id);
}

/** Whether any catalogue movie carries this genre, to tell an unknown genre from an empty ranking. */
export async function isKnownGenre(db: Kysely<RatingsDatabase>, genre: string): Promise<boolean> {
  const row = await db.selectFrom('genre_rankings').select('movie_id').where('genre', '=', genre).limit(1).executeTakeFirst();
  return row !== undefined;
}
