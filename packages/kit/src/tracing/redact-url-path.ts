/**
 * Signed stream URLs (`/s/<token>/<asset>/<file>`, served by the chunk servers) carry their bearer token in the path.
 * Anyone who can read traces could replay it, so span attributes get the path with the token replaced.
 */
const SIGNED_STREAM_PATH = /^\/s\/[^/?]+/;

/** The path of a request target as spans may record it: no query string, no stream token. */
export function redactUrlPath(target: string): string {
  const query = target.indexOf('?');
  const path = query === -1 ? target : target.slice(0, query);
  return path.replace(SIGNED_STREAM_PATH, '/s/[redacted]');
}
