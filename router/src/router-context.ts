/** Per-request context of the router, built after authentication. */
export interface RouterContext {
  /** The verified user id from the bearer token, or null for anonymous requests. */
  userId: string | null;
}
