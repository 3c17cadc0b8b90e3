import type { ServerResponse } from 'node:http';

/**
 * Every error the chunk server returns, with its HTTP status. Codes are a public contract (players and the web app
 * branch on them: `STREAM_TOKEN_EXPIRED` means "fetch a fresh URL"), so they are never renamed or reused.
 */
export const StreamErrorStatus = {
  /** The signed URL was genuine but its time is up; ask the API for a new one. */
  STREAM_TOKEN_EXPIRED: 410,
  /** Forged, truncated, signed for another asset or with a key this server does not know. */
  STREAM_TOKEN_INVALID: 403,
  /** The path cannot be a stream path (encoded characters, dot segments, bad asset id). */
  BAD_STREAM_PATH: 400,
  /** No asset with this id in the media root. */
  ASSET_NOT_FOUND: 404,
  /** The asset has no such file, or the name is not one the whitelist allows. */
  MEDIA_FILE_NOT_FOUND: 404,
  /** Nothing is served at this path. */
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  /** The Range asks for bytes the file does not have. */
  RANGE_NOT_SATISFIABLE: 416,
  /** A fault on our side; details stay in the logs. */
  INTERNAL_SERVER_ERROR: 500,
} as const;

export type StreamErrorCode = keyof typeof StreamErrorStatus;

/**
 * Answers with `{"error":{"code":...}}` and nothing else: no message, path or stack, because whoever probes stream
 * URLs must learn no more than the code.
 */
export function sendStreamError(res: ServerResponse, code: StreamErrorCode, headers: Record<string, string> = {}): void {
  const body = `{"error":{"code":"${code}"}}`;
  res.writeHead(StreamErrorStatus[code], {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(body)),
    'cache-control': 'no-store',
  });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}
