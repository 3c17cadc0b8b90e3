import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { observeHttpRequest } from '@cinema/kit/http';
import { createLogger, type Logger } from '@cinema/kit/logging';
import type { ServiceMetrics } from '@cinema/kit/metrics';
import { verifyStreamToken, type StreamKey } from '@cinema/kit/stream-token';
import { backupOrigins } from './backup-origins.js';
import { LoadMonitor } from './load-monitor.js';
import { renderMasterPlaylist } from './media/hls-playlist.js';
import { MASTER_PLAYLIST } from './media/media-file-names.js';
import { mediaResponsePolicy } from './media-response-policy.js';
import { MediaLibrary } from './media-library.js';
import { OpenFileCache } from './open-file-cache.js';
import { SegmentMemoryCache } from './segment-memory-cache.js';
import { sendMediaFile } from './send-media-file.js';
import { sendStreamError } from './stream-errors.js';
import { parsePosterPath, parseStreamPath } from './stream-request-path.js';

export interface ChunkServerOptions {
  /** Folder holding one sub-folder per asset, each with its `manifest.json`. */
  readonly mediaRoot: string;
  /** Keys whose tokens are accepted; several during a rotation. */
  readonly streamKeys: readonly StreamKey[];
  readonly logger?: Logger;
  /** Largest request head accepted; stream URLs are short, so anything big is abuse. */
  readonly maxHeaderBytes?: number;
  /** Time allowed to receive a request's headers (slowloris). */
  readonly headersTimeoutMs?: number;
  /** Time allowed to receive a whole request. */
  readonly requestTimeoutMs?: number;
  /** Descriptors kept open for hot files (see `OpenFileCache`); stay well under the process's `ulimit -n`. */
  readonly maxOpenFiles?: number;
  /**
   * Bytes of small media files (segments, playlists, posters) kept in memory per process, least recently used out
   * (see `SegmentMemoryCache`); 0 serves everything from disk. Default 128 MiB.
   */
  readonly memoryCacheBytes?: number;
  /** A connection idle this long (a viewer paused on a progressive download) is closed; players reconnect with Range. */
  readonly idleTimeoutMs?: number;
  /** Counts and times every request, reports the open-file cache, and is served at `GET /metrics`. */
  readonly metrics?: ServiceMetrics;
  /**
   * Public base URLs of every chunk server replica serving the same media (this one may be among them). With two
   * or more, master playlists list each variant again on the other replicas (HLS redundant streams), so a player
   * whose server dies carries on from another one. Empty: the master playlist on disk is served as it is.
   */
  readonly peers?: readonly string[];
  /** Measures this server's load, reported on `/health`; one is made when not given (cluster workers share theirs). */
  readonly load?: LoadMonitor;
}

/** Metrics label of a request target; stream paths carry a token and are never logged or labelled as they are. */
function routeOf(url: string): string {
  if (url.startsWith('/s/')) return 'stream';
  if (url.startsWith('/p/')) return 'poster';
  if (url === '/health' || url.startsWith('/health?')) return '/health';
  if (url === '/metrics' || url.startsWith('/metrics?')) return '/metrics';
  return 'other';
}

/**
 * Browsers play HLS through hls.js from the web app's origin; stream URLs carry their own authorisation, so any
 * origin may read them, and players need to see the range headers.
 */
const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers': 'Content-Length, Content-Range, Accept-Ranges, ETag',
} as const;

/**
 * Builds the chunk server: HLS playlists and fMP4 segments plus a progressive MP4 with byte ranges, under
 * `/s/<token>/<assetId>/<file>`, where the token is a signed grant for that asset (see `signStreamToken`).
 *
 * Nothing happens until the caller listens: no disk access, no timers, so tests can build one on port 0 and
 * several replicas can share a media root.
 *
 * @example
 * const server = createChunkServer({ mediaRoot: '/srv/media', streamKeys: [{ kid: 'k1', secret }] });
 * server.listen(4100);
 */
export function createChunkServer(options: ChunkServerOptions): Server {
  const logger = options.logger ?? createLogger('chunk-server', 'silent');
  const library = new MediaLibrary(options.mediaRoot, logger);
  const openFiles = new OpenFileCache(options.maxOpenFiles);
  const keys = options.streamKeys;
  const metrics = options.metrics;
  const peers = options.peers ?? [];
  const load = options.load ?? new LoadMonitor();
  const memory = options.memoryCacheBytes === 0 ? undefined : new SegmentMemoryCache(options.memoryCacheBytes);
  const source = { openFiles, ...(memory ? { memory } : {}) };
  metrics?.observeCache('open_files', () => openFiles.stats());
  if (memory) metrics?.observeCache('media_memory', () => memory.stats());

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    for (const [name, value] of Object.entries(CORS_HEADERS)) res.setHeader(name, value);
    const method = req.method ?? 'GET';
    if (method === 'OPTIONS') {
      res.writeHead(204, {
        'access-control-allow-methods': 'GET, HEAD, OPTIONS',
        'access-control-allow-headers': 'Range, If-Range, If-None-Match',
        'access-control-max-age': '86400',
      });
      res.end();
      return;
    }
    if (method !== 'GET' && method !== 'HEAD') return sendStreamError(res, 'METHOD_NOT_ALLOWED', { allow: 'GET, HEAD, OPTIONS' });

    const url = req.url ?? '/';
    if (metrics && (url === '/metrics' || url.startsWith('/metrics?'))) return metrics.route(req, res);
    if (url === '/health' || url.startsWith('/health?')) {
      // The load figures are what the movies service balances new viewers on (see ChunkServerPool there).
      const body = JSON.stringify({ status: 'ok', assets: await library.countAssets(), load: load.snapshot() });
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(body)), 'cache-control': 'no-store' });
      res.end(method === 'HEAD' ? undefined : body);
      return;
    }

    // Posters are public pictures (the graph hands out their URLs to anyone), so they need no token.
    if (url.startsWith('/p/')) {
      const poster = parsePosterPath(url);
      if (!poster.ok) return sendStreamError(res, poster.code);
      const media = await library.file(poster.assetId, poster.file);
      if (!media) return sendStreamError(res, 'MEDIA_FILE_NOT_FOUND');
      return sendMediaFile(req, res, media, source, load);
    }

    const parsed = parseStreamPath(url);
    if (!parsed.ok) return sendStreamError(res, parsed.code);
    const { token, assetId, file } = parsed.request;

    // The token is checked before the asset is looked up, so that URLs without a grant cannot enumerate assets.
    const verdict = verifyStreamToken(keys, token, assetId);
    if (!verdict.ok) return sendStreamError(res, verdict.reason === 'expired' ? 'STREAM_TOKEN_EXPIRED' : 'STREAM_TOKEN_INVALID');
    const manifest = await library.asset(assetId);
    if (!manifest) return sendStreamError(res, 'ASSET_NOT_FOUND');
    const backups = file === MASTER_PLAYLIST && peers.length > 0 ? backupOrigins(peers, req.headers.host) : [];
    if (backups.length > 0) {
      // The token is the same on every replica: it signs asset, user and expiry, never a host.
      const body = renderMasterPlaylist(
        manifest.renditions,
        backups.map((origin) => `${origin}/s/${token}/${assetId}/`),
      );
      return sendPlaylist(req, res, body);
    }
    const media = await library.file(assetId, file);
    if (!media) return sendStreamError(res, 'MEDIA_FILE_NOT_FOUND');
    await sendMediaFile(req, res, media, source, load);
  };

  const server = createServer(
    {
      maxHeaderSize: options.maxHeaderBytes ?? 8 * 1024,
      headersTimeout: options.headersTimeoutMs ?? 10_000,
      requestTimeout: options.requestTimeoutMs ?? 30_000,
      // How often those two timeouts are enforced; Node's 30 s default would let a slowloris hold sockets 3× longer.
      connectionsCheckingInterval: 1_000,
      keepAliveTimeout: 65_000,
    },
    (req, res) => {
      const route = routeOf(req.url ?? '/');
      // A player's `x-request-id` is kept, so its support reports can name the requests; the path is never logged.
      const observed = observeHttpRequest(req, res, { logger, metrics, route, quiet: route === '/health' || route === '/metrics' });
      if (route === 'stream') res.once('close', load.begin());
      handle(req, res).catch((error: unknown) => {
        // The URL is not logged: it carries a bearer token.
        observed.log.error({ err: error, method: req.method }, 'error while serving a stream request');
        if (!res.headersSent) sendStreamError(res, 'INTERNAL_SERVER_ERROR');
        else res.destroy();
      });
    },
  );
  server.setTimeout(options.idleTimeoutMs ?? 120_000, (socket) => socket.destroy());
  server.on('listening', () => load.start());
  server.on('close', () => {
    openFiles.close();
    load.stop();
  });
  return server;
}

/**
 * Sends a master playlist made for this request (it names the other replicas with the viewer's token, so it is
 * never the same bytes for two viewers): no ETag or ranges, and never stored by a shared cache.
 */
function sendPlaylist(req: IncomingMessage, res: ServerResponse, body: string): void {
  const bytes = Buffer.from(body, 'utf8');
  res.writeHead(200, {
    'content-type': mediaResponsePolicy('master-playlist').contentType,
    'content-length': String(bytes.length),
    'cache-control': 'private, no-cache',
  });
  res.end(req.method === 'HEAD' ? undefined : bytes);
}
