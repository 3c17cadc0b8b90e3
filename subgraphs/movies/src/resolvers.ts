import {
  connectionFromRows,
  decodeCursor,
  encodeCursor,
  loadOrNotFound,
  loadReference,
  parseIntegerId,
  parsePageSize,
  parseSearchText,
} from '@cinema/kit/arguments';
import { entityTag } from '@cinema/kit/changed-entities';
import { badUserInput, ErrorCode, forbidden, notFound, unauthenticated } from '@cinema/kit/errors';
import { GraphQLError } from 'graphql';
import type { MoviesContext } from './context.js';
import type { MovieRow } from './db/database.js';
import type { MutationSetMovieGenresArgs, QueryMoviesArgs, QuerySearchMoviesArgs, Resolvers } from './generated/resolvers-types.js';
import { findGenreId, listGenreNames } from './genre.repository.js';
import { setMovieGenres, UnknownGenresError, UnknownMovieError } from './movie-genres.repository.js';
import { searchMovies } from './movie-search.repository.js';
import { findMoviePage } from './movie.repository.js';

/** Largest page `movies(first:)` serves; also the documented cap in the schema. */
export const MAX_PAGE_SIZE = 100;
/** Largest `searchMovies(first:)`: search is for finding a film, not for paging through the catalogue. */
export const MAX_SEARCH_RESULTS = 50;
/** Most genres one film may carry. */
export const MAX_GENRES_PER_MOVIE = 10;
/** The role allowed to change the catalogue. */
export const EDITOR_ROLE = 'editor';

const movieCursor = (movie: MovieRow) => encodeCursor([movie.id]);

async function resolveMovies(args: QueryMoviesArgs, { db, loaders }: MoviesContext) {
  const limit = parsePageSize(args.first, 20, MAX_PAGE_SIZE);
  const afterId = args.after ? decodeCursor(args.after, ['number'])[0] : undefined;
  if (args.year != null && (args.year < 1850 || args.year > 2200)) throw badUserInput(`"year" must be between 1850 and 2200, got ${args.year}`, 'year');
  let genreId: number | undefined;
  if (args.genre != null) {
    genreId = await findGenreId(db, args.genre);
    if (genreId === undefined) throw badUserInput(`Unknown genre ${JSON.stringify(args.genre.slice(0, 80))}; Query.genres lists the known ones`, 'genre');
  }
  const rows = await findMoviePage(db, {
    limit: limit + 1,
    ...(genreId !== undefined ? { genreId } : {}),
    ...(args.year != null ? { year: args.year } : {}),
    ...(afterId !== undefined ? { afterId } : {}),
  });
  const connection = connectionFromRows(rows, limit, movieCursor, afterId !== undefined);
  for (const { node } of connection.edges) loaders.movieById.prime(node.id, node);
  return connection;
}

async function resolveSearchMovies(args: QuerySearchMoviesArgs, { db, loaders }: MoviesContext): Promise<MovieRow[]> {
  const text = parseSearchText(args.query);
  const limit = parsePageSize(args.first, 10, MAX_SEARCH_RESULTS);
  const movies = await searchMovies(db, text, limit);
  for (const movie of movies) loaders.movieById.prime(movie.id, movie);
  return movies;
}

async function resolveSetMovieGenres(args: MutationSetMovieGenresArgs, { db, userId, roles, movieCache, changedEntities }: MoviesContext): Promise<MovieRow> {
  if (!userId) throw unauthenticated('setMovieGenres needs a signed-in editor: send Authorization: Bearer <token>');
  if (!roles.includes(EDITOR_ROLE)) throw forbidden(`setMovieGenres needs the "${EDITOR_ROLE}" role`, EDITOR_ROLE);
  const movieId = parseIntegerId(args.movieId, 'movieId');
  const genres = [...new Set(args.genres)];
  if (genres.length > MAX_GENRES_PER_MOVIE) throw badUserInput(`"genres" may hold at most ${MAX_GENRES_PER_MOVIE} genres, got ${genres.length}`, 'genres');
  try {
    const movie = await setMovieGenres(db, movieId, genres);
    // After the commit, before the answer: the next read of this movie, from any replica, sees the change.
    await movieCache?.delete([movieId]);
    changedEntities.add(entityTag('Movie', movieId));
    return movie;
  } catch (error) {
    if (error instanceof UnknownMovieError) throw notFound('Movie', args.movieId);
    if (error instanceof UnknownGenresError) {
      const names = error.genres.map((genre) => JSON.stringify(genre.slice(0, 80))).join(', ');
      throw badUserInput(`Unknown genres ${names}; Query.genres lists the known ones`, 'genres');
    }
    throw error;
  }
}

async function resolveStream(movie: MovieRow, { loaders, userId, streamLinks }: MoviesContext) {
  if (!userId) throw unauthenticated('Movie.stream needs a signed-in user: send Authorization: Bearer <token>');
  const asset = await loaders.assetByMovieId.load(movie.id);
  if (!asset) throw new GraphQLError(`Movie "${movie.id}" has no playable media yet`, { extensions: { code: ErrorCode.STREAM_NOT_AVAILABLE } });
  const link = streamLinks?.create(asset.asset_id, userId);
  if (!link)
    throw new GraphQLError('Streaming is unavailable right now: no chunk server is healthy', { extensions: { code: ErrorCode.STREAMING_UNAVAILABLE } });
  return { url: link.url, expiresAt: link.expiresAt.toISOString(), format: link.format };
}

/** The movie's own poster (Wikipedia's), else a still of its media from a chunk server, else null. */
async function resolvePosterUrl(movie: MovieRow, { loaders, streamLinks }: MoviesContext): Promise<string | null> {
  if (movie.poster_url) return movie.poster_url;
  if (!streamLinks) return null;
  const asset = await loaders.assetByMovieId.load(movie.id);
  return asset ? (streamLinks.posterUrl(asset.asset_id) ?? null) : null;
}

export const resolvers: Resolvers = {
  Query: {
    movie: (_, args, { loaders }) => loadOrNotFound(loaders.movieById, 'Movie', args.id),
    movies: (_, args, context) => resolveMovies(args, context),
    genres: (_, __, { db }) => listGenreNames(db),
    searchMovies: (_, args, context) => resolveSearchMovies(args, context),
  },
  Mutation: {
    setMovieGenres: (_, args, context) => resolveSetMovieGenres(args, context),
  },
  Movie: {
    __resolveReference: (reference, { loaders }) => loadReference(loaders.movieById, reference.id),
    id: (movie) => String(movie.id),
    genres: async (movie, _, { loaders }) => (await loaders.genresByMovieId.load(movie.id)).map((g) => g.name),
    posterUrl: (movie, _, context) => resolvePosterUrl(movie, context),
    stream: (movie, _, context) => resolveStream(movie, context),
  },
};
