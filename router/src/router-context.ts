import type { Identity } from '@cinema/kit';

/** Per-request context of the router, built after authentication. */
export interface RouterContext {
  /** The caller from the verified bearer token; `userId` null for anonymous requests. */
  identity: Identity;
}
