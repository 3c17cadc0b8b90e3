/**
 * The id of a user's progress in a movie: opaque to clients, unique across users, so that the router's response
 * cache tags it `WatchProgress:<id>` and a `recordProgress` invalidates that user's cached progress in that movie
 * only, not the movie's public data for everyone.
 */
export function watchProgressId(userId: string, movieId: number): string {
  return Buffer.from(JSON.stringify([userId, movieId]), 'utf8').toString('base64url');
}
