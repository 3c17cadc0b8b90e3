import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { parseByteRange } from './byte-range.js';
import { ifRangeAllowsPartial, isNotModified } from './conditional-request.js';
import type { MediaFile } from './media-library.js';
import type { LoadMonitor } from './load-monitor.js';
import type { OpenFileCache } from './open-file-cache.js';
import type { SegmentMemoryCache } from './segment-memory-cache.js';
import { sendStreamError } from './stream-errors.js';

/** Where a response's bytes come from: small hot files from memory when a cache is given, the rest from disk. */
export interface MediaSource {
  readonly openFiles: OpenFileCache;
  readonly memory?: SegmentMemoryCache;
}

/** Read size per chunk: larger than fs streams' 64 KiB default so a segment takes one or two reads, not five. */
const READ_CHUNK_BYTES = 256 * 1024;

/**
 * Sends a media file with HTTP caching and byte-range semantics (RFC 9110): 304 for a current `If-None-Match`, 206
 * for a single satisfiable range (subject to `If-Range`), 416 with `Content-Range: bytes *\/size` for an
 * unsatisfiable one, and 200 with the whole file otherwise. Small files (segments) come from `source.memory` when
 * given, in one socket write of a buffer shared by every response; anything else is streamed from disk with
 * backpressure, never buffered whole, so a slow client of a large movie costs one chunk of memory.
 *
 * Resolves when the body is sent or the client went away; rejects only on server faults.
 */
export async function sendMediaFile(req: IncomingMessage, res: ServerResponse, file: MediaFile, source: MediaSource, load?: LoadMonitor): Promise<void> {
  const headers: Record<string, string> = {
    'content-type': file.contentType,
    'cache-control': file.cacheControl,
    etag: file.etag,
    'last-modified': file.lastModified,
    'accept-ranges': 'bytes',
  };
  if (isNotModified(req.headers, file)) {
    res.writeHead(304, headers);
    res.end();
    return;
  }

  // Range is defined for GET only (RFC 9110 §14.2); HEAD describes the whole representation.
  const range = req.method === 'GET' && ifRangeAllowsPartial(req.headers, file) ? parseByteRange(req.headers.range, file.size) : ({ kind: 'whole' } as const);
  if (range.kind === 'unsatisfiable') {
    sendStreamError(res, 'RANGE_NOT_SATISFIABLE', { 'content-range': `bytes */${file.size}`, 'accept-ranges': 'bytes' });
    return;
  }
  const start = range.kind === 'partial' ? range.start : 0;
  const end = range.kind === 'partial' ? range.end : file.size - 1;
  headers['content-length'] = String(end - start + 1);
  if (range.kind === 'partial') headers['content-range'] = `bytes ${start}-${end}/${file.size}`;
  if (req.method !== 'HEAD' && source.memory?.accepts(file)) {
    // Read (or found) before the status line goes out, so a file that cannot be read still gets a clean error response.
    const bytes = await source.memory.bytes(file, source.openFiles);
    res.writeHead(range.kind === 'partial' ? 206 : 200, headers);
    await endResponse(res, range.kind === 'partial' ? bytes.subarray(start, end + 1) : bytes);
    if (res.writableFinished) load?.addBytes(end - start + 1);
    return;
  }
  // Opened before the status line goes out, so a file that cannot be opened still gets a clean error response.
  const lease = req.method === 'HEAD' || file.size === 0 ? undefined : await source.openFiles.acquire(file.absolutePath);
  res.writeHead(range.kind === 'partial' ? 206 : 200, headers);
  if (!lease) {
    res.end();
    return;
  }
  try {
    await pipeToResponse(lease.createReadStream({ start, end, highWaterMark: READ_CHUNK_BYTES }), res);
    // Counted once the body is handed to the socket; a viewer who left early counts for nothing (close enough).
    if (res.writableFinished) load?.addBytes(end - start + 1);
  } finally {
    lease.release();
  }
}

/** Sends `body` as the whole remaining response and resolves once the response is closed (sent, or the viewer left). */
function endResponse(res: ServerResponse, body: Buffer): Promise<void> {
  return new Promise((resolve) => {
    res.once('close', resolve);
    res.end(body);
  });
}

/**
 * `pipeline(source, res)` for the one case we need, with backpressure from `pipe`. Node's `pipeline` builds an
 * AbortController per call and aborts it on completion, which creates a DOMException with a stack trace: profiling
 * showed that to cost about a fifth of segment throughput. A viewer closing the connection (seeking, leaving) stops
 * the read and resolves; a read error destroys the response, since its headers are already sent, and rejects.
 */
function pipeToResponse(source: Readable, res: ServerResponse): Promise<void> {
  return new Promise((resolve, reject) => {
    let failure: Error | undefined;
    source.once('error', (error) => {
      failure = error;
      res.destroy();
    });
    res.once('close', () => {
      source.destroy();
      if (failure) reject(failure);
      else resolve();
    });
    source.pipe(res);
  });
}
