import type { IncomingMessage } from 'node:http';

/** Raised for a body the client got wrong: too large, or not the JSON it claims to be. */
export class HttpBodyError extends Error {
  constructor(
    readonly status: 400 | 413,
    readonly code: 'BAD_REQUEST' | 'PAYLOAD_TOO_LARGE',
    message: string,
  ) {
    super(message);
    this.name = 'HttpBodyError';
  }
}

/**
 * Reads a request body up to `limitBytes`, failing fast once over it, so a huge or endless upload costs us a
 * bounded amount of memory.
 */
export async function readBody(req: IncomingMessage, limitBytes: number): Promise<string> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) {
    throw new HttpBodyError(413, 'PAYLOAD_TOO_LARGE', `Request body exceeds ${limitBytes} bytes`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limitBytes) throw new HttpBodyError(413, 'PAYLOAD_TOO_LARGE', `Request body exceeds ${limitBytes} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Parses a JSON body; malformed JSON is a client error with a stable code, never a 500. */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpBodyError(400, 'BAD_REQUEST', 'Malformed JSON in request body');
  }
}
