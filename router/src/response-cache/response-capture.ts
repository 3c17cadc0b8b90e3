import type { SourceLocationMap } from './source-locations.js';

/**
 * What the router learns about a response while Apollo produces it, read back by the response cache once Apollo is
 * done. One per request, reached through the request's context.
 */
export interface ResponseCapture {
  /** Entities the response contains (`Movie:42`), from the keys the router added to the operation. */
  readonly tags: Set<string>;
  /** The cache policy the subgraphs' hints add up to; null when the response may not be cached. */
  policy: { maxAge: number; scope: 'PUBLIC' | 'PRIVATE' } | null;
  hasErrors: boolean;
  /** Set when Apollo runs a rewritten text: maps its error locations back to the client's text. */
  sourceLocations?: SourceLocationMap | undefined;
  /**
   * The invalidation clock read before the operation ran (see `TagIndex.snapshot`): the balancer takes a newer reading
   * than it has seen as a write made through another router (see `WriteEpoch.observeInvalidationClock`).
   */
  clock?: number;
  /** Whether Apollo got as far as sending a response through the capture plugin. */
  completed: boolean;
}

export function newResponseCapture(): ResponseCapture {
  return { tags: new Set(), policy: null, hasErrors: false, completed: false };
}
