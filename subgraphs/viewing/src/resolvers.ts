import { maybeCacheControlFromInfo } from '@apollo/cache-control-types';
import { connectionFromRows, decodeCursor, encodeCursor, parseIntegerId, parsePageSize, tryParseIntegerId } from '@cinema/kit/arguments';
import { entityTag } from '@cinema/kit/changed-entities';
import { forbidden, notFound, unauthenticated } from '@cinema/kit/errors';
import type { GraphQLResolveInfo } from 'graphql';
import type { ViewingContext } from './context.js';
import type { MutationRecordProgressArgs, Resolvers, ResolversParentTypes, UserContinueWatchingArgs } from './generated/resolvers-types.js';
import { assertValidProgress } from './watch-progress-input.js';
import { watchProgressId } from './watch-progress-id.js';
import { findContinueWatchingPage, recordProgress, UnknownMovieError, type WatchProgressWithPosition } from './watch-progress.repository.js';

/** Largest page of `User.continueWatching`. */
export const MAX_CONTINUE_WATCHING_PAGE = 100;

type MovieReference = ResolversParentTypes['Movie'];
type UserReference = ResolversParentTypes['User'];

async function resolveRecordProgress(
  args: MutationRecordProgressArgs,
  { db, userId, arrivedAtUs, changedEntities }: ViewingContext,
): Promise<WatchProgressWithPosition> {
  if (!userId) throw unauthenticated('recordProgress needs a signed-in user: send Authorization: Bearer <token>');
  const movieId = parseIntegerId(args.movieId, 'movieId');
  assertValidProgress(args.positionSeconds, args.durationSeconds);
  try {
    const { progress, created } = await recordProgress(db, {
      userId,
      movieId,
      positionSeconds: args.positionSeconds,
      durationSeconds: args.durationSeconds,
      arrivedAtUs,
    });
    // The user's cached progress in this movie is stale. A first write also changes `Movie.myProgress` from null,
    // and a cached null carries only the movie's tag, so the movie is named once, on creation.
    changedEntities.add(entityTag('WatchProgress', watchProgressId(userId, movieId)));
    if (created) changedEntities.add(entityTag('Movie', movieId));
    return progress;
  } catch (error) {
    if (error instanceof UnknownMovieError) throw notFound('Movie', args.movieId);
    throw error;
  }
}

const progressCursor = (progress: WatchProgressWithPosition) => encodeCursor([progress.updated_at_us, progress.movie_id]);

/** A user's unfinished movies, most recently played first, as a Relay connection; only the user themself may read it. */
async function resolveContinueWatching(user: UserReference, args: UserContinueWatchingArgs, { db, userId, loaders }: ViewingContext) {
  if (user.id !== userId) throw forbidden("A user's viewing progress is visible to that user only");
  const limit = parsePageSize(args.first, 20, MAX_CONTINUE_WATCHING_PAGE);
  const after = args.after ? decodeCursor(args.after, ['number', 'number']) : undefined;
  const rows = await findContinueWatchingPage(db, { userId, limit: limit + 1, ...(after ? { after: { updatedAtUs: after[0], movieId: after[1] } } : {}) });
  const connection = connectionFromRows(rows, limit, progressCursor, after !== undefined);
  // The page already holds the progress, so `node { movie { myProgress } }` needs no second lookup.
  for (const { node } of connection.edges) loaders.myProgressByMovieId.prime(node.movie_id, node);
  return connection;
}

async function resolveMyProgress(movie: MovieReference, { loaders, userId }: ViewingContext, info: GraphQLResolveInfo) {
  const id = tryParseIntegerId(movie.id);
  if (!userId || id === null) return null;
  const progress = await loaders.myProgressByMovieId.load(id);
  // A cached "never played" would carry no WatchProgress tag for recordProgress to invalidate; it is cheap to
  // recompute, so it is not cached at all (a found progress is cached per user and invalidated by its tag).
  if (!progress) maybeCacheControlFromInfo(info)?.setCacheHint({ maxAge: 0 });
  return progress;
}

export const resolvers: Resolvers = {
  Mutation: {
    recordProgress: (_, args, context) => resolveRecordProgress(args, context),
  },
  Movie: {
    // This service knows a movie by id only; the movies service owns the rest.
    __resolveReference: (reference) => ({ id: reference.id }),
    myProgress: (movie, _, context, info) => resolveMyProgress(movie, context, info),
  },
  User: {
    __resolveReference: (reference) => ({ id: reference.id }),
    continueWatching: (user, args, context) => resolveContinueWatching(user, args, context),
  },
  WatchProgress: {
    id: (progress) => watchProgressId(progress.user_id, progress.movie_id),
    movie: (progress) => ({ id: String(progress.movie_id) }),
    positionSeconds: (progress) => progress.position_seconds,
    durationSeconds: (progress) => progress.duration_seconds,
    updatedAt: (progress) => progress.updated_at.toISOString(),
  },
};
