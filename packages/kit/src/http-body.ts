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
 * bounded amount of memory. The bytes are returned as received, so request signatures check exactly what was sent.
 */
export async function readBody(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
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
  return Buffer.concat(chunks);
}

/** Deepest nesting of arrays and objects accepted in a JSON body; GraphQL requests need a handful of levels. */
export const MAX_JSON_DEPTH = 64;

/**
 * Parses a JSON body; malformed JSON is a client error with a stable code, never a 500. So is JSON nested deeper
 * than {@link MAX_JSON_DEPTH}: everything downstream that walks the value recursively (variable coercion, cache
 * keys, logging) would otherwise overflow the stack on `[[[[...]]]]`.
 */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') return undefined;
  if (jsonDepthExceeds(text, MAX_JSON_DEPTH))
    throw new HttpBodyError(400, 'BAD_REQUEST', `JSON in request body is nested deeper than ${MAX_JSON_DEPTH} levels`);
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpBodyError(400, 'BAD_REQUEST', 'Malformed JSON in request body');
  }
}

/** One pass over the text, brackets inside strings ignored. */
function jsonDepthExceeds(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (char === 0x5c)
        i++; // backslash: skip the escaped character
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) {
      inString = true;
    } else if (char === 0x5b || char === 0x7b) {
      if (++depth > max) return true;
    } else if (char === 0x5d || char === 0x7d) {
      depth--;
    }
  }
  return false;
}
