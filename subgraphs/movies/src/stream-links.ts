import { signStreamToken, type StreamKey } from '@cinema/kit';
import type { ChunkServerPool } from './chunk-server-pool.js';

export interface StreamLink {
  url: string;
  expiresAt: Date;
  format: 'HLS';
}

/**
 * Hands out signed, expiring URLs of a movie's master playlist. The token sits in the path, so every relative URI
 * inside the playlists (renditions, init segments, media segments) carries it too.
 */
export class StreamLinks {
  constructor(
    private readonly pool: ChunkServerPool,
    private readonly signingKey: StreamKey,
    private readonly ttlSeconds: number,
    /** Maps a replica's internal URL to the one clients use; identity when absent. */
    private readonly publicUrlOf: ReadonlyMap<string, string> = new Map(),
  ) {}

  /** A URL for `userId` to play `assetId`, or undefined when no chunk server is healthy. */
  create(assetId: string, userId: string, now = Date.now()): StreamLink | undefined {
    const replica = this.pool.assign(assetId);
    if (!replica) return undefined;
    const expiresAt = new Date(Math.floor(now / 1000) * 1000 + this.ttlSeconds * 1000);
    const token = signStreamToken(this.signingKey, { assetId, userId, expiresAt });
    const base = this.publicUrlOf.get(replica) ?? replica;
    return { url: `${base}/s/${token}/${assetId}/master.m3u8`, expiresAt, format: 'HLS' };
  }
}
