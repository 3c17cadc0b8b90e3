import type { Identity } from '@cinema/kit/identity';
import type { ResponseCapture } from './response-cache/response-capture.js';

/** Per-request context of the router, built after authentication. */
export interface RouterContext {
  /** The caller from the verified bearer token; `userId` null for anonymous requests. */
  identity: Identity;
  /** The client's `x-request-id` when sane, else a new one; sent on to every subgraph so their logs join the router's. */
  requestId: string;
  /**
   * The router's write epoch when the request was received: its subgraph queries share only fetches sent after the
   * last write answered before it (see `InFlightMerge`, `WriteEpoch`).
   */
  writeEpoch?: number;
  /** Aborted when the client leaves before its answer is complete: the subgraph fetches made for it are given up. */
  signal?: AbortSignal;
  /** Where the response cache learns the response's policy and entities; set when the cache handles the request. */
  responseCapture?: ResponseCapture;
}
