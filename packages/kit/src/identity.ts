/**
 * Header that carries the verified user id from the router to subgraphs. Only the router sets it, after checking
 * the client's JWT; subgraphs treat its absence as an anonymous request.
 */
export const USER_ID_HEADER = 'x-user-id';

/** Header carrying the request id across services so one request's logs can be joined. */
export const REQUEST_ID_HEADER = 'x-request-id';

/** User ids are the JWT `sub` claim: bounded, printable, no whitespace. */
export function isValidUserId(value: string): boolean {
  return /^[A-Za-z0-9._:@|-]{1,128}$/.test(value);
}

/**
 * The user id the router forwarded, or null for an anonymous request (or a malformed header, which we never trust).
 */
export function readUserId(headers: Record<string, string | string[] | undefined>): string | null {
  const value = headers[USER_ID_HEADER];
  return typeof value === 'string' && isValidUserId(value) ? value : null;
}
