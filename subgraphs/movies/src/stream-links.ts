import { signStreamToken, type StreamKey } from '@cinema/kit/stream-token';
import type { ChunkServerPool } from './chunk-server-pool.js';

export interface StreamLink {
  url: string;
  expiresAt: Date;
  format: 'HLS';
}

/**
 * Hands out signed, expiring URLs of a movie's master playlist. The token sits in the path, so every relative URI
 * inside the playlists (renditions, init segments, media segments) carries it too. The token signs the asset, the
 * user and the expiry but no host, so the same path is valid on every chunk server: the master playlist lists the
 * other replicas under it as redundant streams, and a player fails over without asking for a new URL.
 */
export class StreamLinks {
  readonly #pool: ChunkServerPool;
  readonly #signingKey: StreamKey;
  readonly #ttlSeconds: number;
  readonly #publicUrlOf: ReadonlyMap<string, string>;

  /** `publicUrlOf` maps a replica's internal URL to the one clients use; identity when absent. */
  constructor(pool: ChunkServerPool, signingKey: StreamKey, ttlSeconds: number, publicUrlOf: ReadonlyMap<string, string> = new Map()) {
    this.#pool = pool;
    this.#signingKey = signingKey;
    this.#ttlSeconds = ttlSeconds;
    this.#publicUrlOf = publicUrlOf;
  }

  /** A URL for `userId` to play `assetId`, or undefined when no chunk server is healthy. */
  create(assetId: string, userId: string, now = Date.now()): StreamLink | undefined {
    const replica = this.#pool.assign(assetId);
    if (!replica) return undefined;
    const expiresAt = new Date(Math.floor(now / 1000) * 1000 + this.#ttlSeconds * 1000);
    const token = signStreamToken(this.#signingKey, { assetId, userId, expiresAt });
    const base = this.#publicUrlOf.get(replica) ?? replica;
    return { url: `${base}/s/${token}/${assetId}/master.m3u8`, expiresAt, format: 'HLS' };
  }

  /**
   * The public URL of an asset's poster (a still the ingest extracted), on the replica the ring prefers for it;
   * undefined when no chunk server is healthy. Posters need no token: they are shown to anyone browsing.
   */
  posterUrl(assetId: string): string | undefined {
    const replica = this.#pool.home(assetId);
    if (!replica) return undefined;
    return `${this.#publicUrlOf.get(replica) ?? replica}/p/${assetId}/poster.jpg`;
  }
}
