/**
 * `@cinema/kit/signing`: the router's proof of origin on subgraph requests (HMAC signature, replay-guarding nonce
 * cache). Node's crypto only.
 */
export { SIGNATURE_HEADER, signRequest, RequestVerifier } from '../request-signature.js';
