import type { IncomingHttpHeaders } from 'node:http';

/** The validators a response carries: a strong ETag and an HTTP-date. */
export interface Validators {
  readonly etag: string;
  readonly lastModified: string;
}

/**
 * RFC 9110 §13.1.5: a Range is honoured only if `If-Range` (when present) still names this exact representation,
 * by strong ETag comparison or an HTTP-date equal to Last-Modified. Otherwise the client gets the whole new file
 * instead of splicing bytes of two versions together.
 */
export function ifRangeAllowsPartial(headers: IncomingHttpHeaders, validators: Validators): boolean {
  const condition = headers['if-range'];
  if (condition === undefined) return true;
  if (typeof condition !== 'string') return false;
  const value = condition.trim();
  if (value.startsWith('"')) return value === validators.etag;
  if (value.startsWith('W/')) return false;
  const date = Date.parse(value);
  return !Number.isNaN(date) && date === Date.parse(validators.lastModified);
}

/**
 * RFC 9110 §13.1.2: `If-None-Match` with our ETag (weak comparison) or `*` means the client's copy is current, so
 * a 304 saves re-sending a segment or playlist it already has.
 */
export function isNotModified(headers: IncomingHttpHeaders, validators: Validators): boolean {
  const condition = headers['if-none-match'];
  if (condition === undefined) return false;
  if (condition.trim() === '*') return true;
  return condition.split(',').some((tag) => tag.trim().replace(/^W\//, '') === validators.etag);
}
