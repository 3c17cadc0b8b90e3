import type { Server } from 'node:http';
import { closeGracefully, listen } from '@cinema/kit/process';
import { signStreamToken, type StreamKey } from '@cinema/kit/stream-token';
import { createChunkServer, type ChunkServerOptions } from '../../src/server.js';

export const testKey: StreamKey = { kid: 'test-k1', secret: 'test-secret-0123456789-0123456789-abcdef' };

export interface TestServer {
  readonly server: Server;
  readonly port: number;
  readonly baseUrl: string;
  close(): Promise<void>;
}

/** A real chunk server on a free port. */
export async function startTestServer(options: Partial<ChunkServerOptions> & { mediaRoot: string; port?: number }): Promise<TestServer> {
  const { port: wanted, ...serverOptions } = options;
  const server = createChunkServer({ streamKeys: [testKey], ...serverOptions });
  const port = await listen(server, wanted ?? 0);
  return { server, port, baseUrl: `http://127.0.0.1:${port}`, close: () => closeGracefully(server, 1_000) };
}

/** Path of a file of an asset under a freshly signed token (valid for an hour unless told otherwise). */
export function streamPath(assetId: string, file: string, grant: { userId?: string; expiresAt?: Date; key?: StreamKey; signedFor?: string } = {}): string {
  const token = signStreamToken(grant.key ?? testKey, {
    assetId: grant.signedFor ?? assetId,
    userId: grant.userId ?? 'viewer-1',
    expiresAt: grant.expiresAt ?? new Date(Date.now() + 3600_000),
  });
  return `/s/${token}/${assetId}/${file}`;
}
