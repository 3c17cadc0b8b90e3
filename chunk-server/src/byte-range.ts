/** What a `Range` header asks of a file of known size (RFC 9110 §14). */
export type ByteRangeRequest =
  /** Send the whole file with 200: no Range, another unit, a malformed header, or several ranges. */
  { readonly kind: 'whole' } | { readonly kind: 'partial'; readonly start: number; readonly end: number } | { readonly kind: 'unsatisfiable' };

const WHOLE = { kind: 'whole' } as const;
const UNSATISFIABLE = { kind: 'unsatisfiable' } as const;
const SINGLE_RANGE = /^bytes[ \t]*=[ \t]*(\d{0,15})[ \t]*-[ \t]*(\d{0,15})[ \t]*$/i;

/**
 * Interprets a Range header for a file of `size` bytes.
 *
 * Several ranges get the whole file rather than `multipart/byteranges`: players never ask for them, and answering
 * many small ranges is a known amplification vector, which RFC 9110 lets a server avoid by ignoring the header.
 * Malformed headers are ignored too (§14.2). `end` is clamped to the last byte; a suffix longer than the file
 * means the whole file, as a range.
 */
export function parseByteRange(header: string | undefined, size: number): ByteRangeRequest {
  if (header === undefined) return WHOLE;
  const match = SINGLE_RANGE.exec(header);
  if (!match) return WHOLE;
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return WHOLE;
  if (first === '') {
    const length = Number(last);
    if (length === 0 || size === 0) return UNSATISFIABLE;
    return { kind: 'partial', start: Math.max(0, size - length), end: size - 1 };
  }
  const start = Number(first);
  // `a-b` with b < a is not a valid range-spec (§14.1.1): ignored, like any malformed header.
  if (last !== '' && Number(last) < start) return WHOLE;
  if (start >= size) return UNSATISFIABLE;
  return { kind: 'partial', start, end: last === '' ? size - 1 : Math.min(Number(last), size - 1) };
}
