import { SIGNATURE_HEADER, signRequest } from '@cinema/kit/signing';
import type { RequestSigner } from './balancing/balanced-fetcher.js';

/**
 * Signs every request the router sends to a subgraph with the shared `SUBGRAPH_SECRET`, so subgraphs can refuse
 * anything that did not come through the router. It runs in the balancer's fetcher, per attempt, where the replica's
 * path and the body string are final: what is hashed is exactly what is sent, identity headers included.
 */
export function subgraphRequestSigner(secret: string): RequestSigner {
  return (request) => ({ ...request.headers, [SIGNATURE_HEADER]: signRequest(secret, request) });
}
