import { connectionFromRows, decodeCursor, encodeCursor, parseIntegerId, parsePageSize, tryParseIntegerId } from '@cinema/kit/arguments';
import { entityTag } from '@cinema/kit/changed-entities';
import { badUserInput, forbidden, notFound, unauthenticated } from '@cinema/kit/errors';
import { accountMutations } from './account-resolvers.js';
import type { AccountTokenIssuer } from './account-token.js';
import type { RatingsContext } from './context.js';
import type { MutationRateMovieArgs, QueryTopRatedMoviesArgs, Resolvers, ResolversParentTypes, UserRatingsArgs } from './generated/resolvers-types.js';
import { findTopRatedMovieIds, isKnownGenre } from './ranking.repository.js';
import { assertValidScore } from './rating-input.js';
import { findUserRatingPage, rateMovie, UnknownMovieError, type RatingWithPosition } from './rating.repository.js';

/** Largest `limit` of `topRatedMovies`. */
export const MAX_TOP_RATED = 100;
/** Largest page of `User.ratings`. */
export const MAX_RATINGS_PAGE = 100;

type MovieReference = ResolversParentTypes['Movie'];
type UserReference = ResolversParentTypes['User'];

async function resolveTopRated(args: QueryTopRatedMoviesArgs, { db }: RatingsContext): Promise<MovieReference[]> {
  const limit = parsePageSize(args.limit, 10, MAX_TOP_RATED, 'limit');
  const minVotes = args.minVotes ?? 1;
  if (!Number.isInteger(minVotes) || minVotes < 0) throw badUserInput(`"minVotes" must be zero or more, got ${minVotes}`, 'minVotes');
  const ids = await findTopRatedMovieIds(db, { genre: args.genre, limit, minVotes });
  if (ids.length === 0 && !(await isKnownGenre(db, args.genre))) {
    throw badUserInput(`Unknown genre ${JSON.stringify(args.genre.slice(0, 80))}; Query.genres lists the known ones`, 'genre');
  }
  return ids.map((id) => ({ id: String(id) }));
}

async function resolveRateMovie(args: MutationRateMovieArgs, { db, userId, changedEntities }: RatingsContext): Promise<ResolversParentTypes['Rating']> {
  if (!userId) throw unauthenticated('rateMovie needs a signed-in user: send Authorization: Bearer <token>');
  const movieId = parseIntegerId(args.movieId, 'movieId');
  assertValidScore(args.score);
  try {
    const rating = await rateMovie(db, { userId, movieId, score: args.score });
    // The movie's statistics and rankings changed: the router invalidates cached responses holding it.
    changedEntities.add(entityTag('Movie', movieId));
    return rating;
  } catch (error) {
    if (error instanceof UnknownMovieError) throw notFound('Movie', args.movieId);
    throw error;
  }
}

const ratingCursor = (rating: RatingWithPosition) => encodeCursor([rating.updated_at_us, rating.movie_id]);

/** A user's ratings, newest first, as a Relay connection; only the user themself may read them. */
async function resolveUserRatings(user: UserReference, args: UserRatingsArgs, { db, userId, loaders }: RatingsContext) {
  if (user.id !== userId) throw forbidden("A user's ratings are visible to that user only");
  const limit = parsePageSize(args.first, 20, MAX_RATINGS_PAGE);
  const after = args.after ? decodeCursor(args.after, ['number', 'number']) : undefined;
  const rows = await findUserRatingPage(db, { userId, limit: limit + 1, ...(after ? { after: { updatedAtUs: after[0], movieId: after[1] } } : {}) });
  const connection = connectionFromRows(rows, limit, ratingCursor, after !== undefined);
  // The page already holds the user's scores, so `node { movie { myRating } }` needs no second lookup.
  for (const { node } of connection.edges) loaders.myScoreByMovieId.prime(node.movie_id, { movie_id: node.movie_id, score: node.score });
  return connection;
}

const statsOf = (movie: MovieReference, { loaders }: RatingsContext) => {
  const id = tryParseIntegerId(movie.id);
  return id === null ? Promise.resolve(null) : loaders.statsByMovieId.load(id);
};

/** Resolvers of everything but the account mutations, which need the token issuer (`createResolvers`). */
const ratingResolvers: Resolvers = {
  Query: {
    topRatedMovies: (_, args, context) => resolveTopRated(args, context),
    me: (_, __, { userId }) => {
      if (!userId) throw unauthenticated('me needs a signed-in user: send Authorization: Bearer <token>');
      return { id: userId };
    },
  },
  Mutation: {
    rateMovie: (_, args, context) => resolveRateMovie(args, context),
  },
  Movie: {
    // This service knows a movie by id only; the movies service owns the rest.
    __resolveReference: (reference) => ({ id: reference.id }),
    averageRating: async (movie, _, context) => {
      const stats = await statsOf(movie, context);
      return stats && stats.rating_count > 0 ? stats.rating_sum / stats.rating_count : null;
    },
    ratingCount: async (movie, _, context) => (await statsOf(movie, context))?.rating_count ?? 0,
    myRating: async (movie, _, { loaders, userId }) => {
      const id = tryParseIntegerId(movie.id);
      if (!userId || id === null) return null;
      return (await loaders.myScoreByMovieId.load(id))?.score ?? null;
    },
  },
  User: {
    __resolveReference: (reference) => ({ id: reference.id }),
    ratings: (user, args, context) => resolveUserRatings(user, args, context),
  },
  Rating: {
    movie: (rating) => ({ id: String(rating.movie_id) }),
    createdAt: (rating) => rating.created_at.toISOString(),
    updatedAt: (rating) => rating.updated_at.toISOString(),
  },
};

/**
 * The ratings subgraph's resolver map, built here like every subgraph's: the rating resolvers plus `signUp` and
 * `logIn`, which sign tokens with `tokens` (so the map is made once the JWT secret is known).
 */
export function createResolvers(tokens: AccountTokenIssuer): Resolvers {
  return { ...ratingResolvers, Mutation: { ...ratingResolvers.Mutation, ...accountMutations(tokens) } };
}
