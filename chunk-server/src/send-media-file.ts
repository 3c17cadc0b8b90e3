import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { parseByteRange } from './byte-range.js';
import { ifRangeAllowsPartial, isNotModified } from './conditional-request.js';
import type { MediaFile } from './media-library.js';
import type { OpenFileCache } from './open-file-cache.js';
import { sendStreamError } from './stream-errors.js';

/** Read size per chunk: larger than fs streams' 64 KiB default so a segment takes one or two reads, not five. */
const READ_CHUNK_BYTES = 256 * 1024;

/**
 * Sends a media file with HTTP caching and byte-range semantics (RFC 9110): 304 for a current `If-None-Match`, 206
 * for a single satisfiable range (subject to `If-Range`), 416 with `Content-Range: bytes *\/size` for an
 * unsatisfiable one, and 200 with the whole file otherwise. Bytes are streamed from disk with backpressure, never
 * buffered whole, so a slow client of a large movie costs one chunk of memory.
 *
 * Resolves when the body is sent or the client went away; rejects only on server faults.
 */
export async function sendMediaFile(req: IncomingMessage, res: ServerResponse, file: MediaFile, openFiles: OpenFileCache): Promise<void> {
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
  res.writeHead(range.kind === 'partial' ? 206 : 200, headers);
  if (req.method === 'HEAD' || file.size === 0) {
    res.end();
    return;
  }

  const lease = await openFiles.acquire(file.absolutePath);
  try {
    await pipeline(lease.createReadStream({ start, end, highWaterMark: READ_CHUNK_BYTES }), res);
  } catch (error) {
    // A viewer seeking or closing the tab aborts the response: normal for video, not a fault.
    if (res.destroyed && (error as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE') return;
    res.destroy();
    throw error;
  } finally {
    lease.release();
  }
}
