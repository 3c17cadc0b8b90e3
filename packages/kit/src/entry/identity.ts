/** `@cinema/kit/identity`: the caller's identity as the router forwards it to subgraphs in request headers. */
export { REQUEST_ID_HEADER, isValidUserId, readIdentity, writeIdentity, type Identity } from '../identity.js';
