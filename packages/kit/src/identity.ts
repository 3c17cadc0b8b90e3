/**
 * Header that carries the verified user id from the router to subgraphs. Only the router sets it, after checking
 * the client's JWT; subgraphs treat its absence as an anonymous request.
 */
export const USER_ID_HEADER = 'x-user-id';

/** Header carrying the verified user's roles (comma-separated), e.g. `editor`; set only by the router. */
export const USER_ROLES_HEADER = 'x-user-roles';

/** Header carrying the request id across services so one request's logs can be joined. */
export const REQUEST_ID_HEADER = 'x-request-id';

/** User ids are the JWT `sub` claim: bounded, printable, no whitespace. */
export function isValidUserId(value: string): boolean {
  return /^[A-Za-z0-9._:@|-]{1,128}$/.test(value);
}

/**
 * The user id the router forwarded, or null for an anonymous request (or a malformed header, which we never trust).
 * Services read it through {@link readIdentity}, the one identity helper, so all of them treat the headers alike.
 */
function readUserId(headers: Record<string, string | string[] | undefined>): string | null {
  const value = headers[USER_ID_HEADER];
  return typeof value === 'string' && isValidUserId(value) ? value : null;
}

/** The caller as the router established it. */
export interface Identity {
  userId: string | null;
  roles: readonly string[];
}

/** Reads the identity headers the router forwards; roles without a user id are ignored. */
export function readIdentity(headers: Record<string, string | string[] | undefined>): Identity {
  const userId = readUserId(headers);
  const rolesHeader = headers[USER_ROLES_HEADER];
  const roles =
    userId && typeof rolesHeader === 'string'
      ? rolesHeader
          .split(',')
          .map((r) => r.trim())
          .filter((r) => /^[a-z][a-z0-9_-]{0,31}$/.test(r))
      : [];
  return { userId, roles };
}

/** Sets the identity headers on a request to a subgraph, replacing whatever was there. */
export function writeIdentity(headers: { set(name: string, value: string): void; delete(name: string): void }, identity: Identity): void {
  headers.delete(USER_ID_HEADER);
  headers.delete(USER_ROLES_HEADER);
  if (!identity.userId) return;
  headers.set(USER_ID_HEADER, identity.userId);
  if (identity.roles.length > 0) headers.set(USER_ROLES_HEADER, identity.roles.join(','));
}
