import { EntityCache, type EntityCodec, type RedisConnection } from '@cinema/kit/cache';
import type { MovieRow } from './db/database.js';

/** Movie rows as JSON, with their timestamps revived as `Date`s so a cached row is the same type as a fresh one. */
const movieCodec: EntityCodec<MovieRow> = {
  encode: (movie) => JSON.stringify(movie),
  decode: (text) => {
    const row = JSON.parse(text) as MovieRow & { created_at: string; updated_at: string };
    return { ...row, created_at: new Date(row.created_at), updated_at: new Date(row.updated_at) };
  },
};

export interface MovieCacheOptions {
  redis: RedisConnection | undefined;
  /** The deployment's key prefix (`CACHE_KEY_PREFIX`). */
  keyPrefix: string;
  ttlSeconds: number;
}

/**
 * The read-through cache of movie rows by id, shared by every request of this process (the per-request loaders
 * batch into it). The key carries the row shape's version: a deploy that changes `movieColumns` bumps it instead of
 * reading rows of the old shape.
 */
export function createMovieCache({ redis, keyPrefix, ttlSeconds }: MovieCacheOptions): EntityCache<number, MovieRow> {
  return new EntityCache<number, MovieRow>({ redis, prefix: `${keyPrefix}movies:movie:v1:`, ttlSeconds, codec: movieCodec });
}
