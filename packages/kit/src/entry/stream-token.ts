/**
 * `@cinema/kit/stream-token`: signed, expiring tokens for HLS streams, issued by the movies subgraph and verified by
 * the chunk server. Node's crypto only.
 */
export {
  signStreamToken,
  verifyStreamToken,
  parseStreamKeys,
  isValidAssetId,
  isDevelopmentStreamKey,
  DEVELOPMENT_STREAM_KEY,
  MAX_STREAM_TOKEN_LENGTH,
  type StreamKey,
} from '../stream-token.js';
