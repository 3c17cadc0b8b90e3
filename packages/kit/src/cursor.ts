import { badUserInput } from './error-codes.js';

const PREFIX = 'v1:';

/**
 * Opaque pagination cursor for keyset pagination. Clients must not parse it, so we are free to change what it
 * holds; the version prefix lets us reject cursors from an older format with a clear error.
 */
export function encodeCursor(values: readonly (string | number)[]): string {
  return Buffer.from(PREFIX + JSON.stringify(values), 'utf8').toString('base64url');
}

/**
 * Decodes a cursor made by {@link encodeCursor}, checking each value's type against `shape`; anything else is a
 * client error (`BAD_USER_INPUT`), never a crash.
 */
export function decodeCursor<const T extends readonly ('string' | 'number')[]>(
  cursor: string,
  shape: T,
  argumentName = 'after',
): { [K in keyof T]: T[K] extends 'number' ? number : string } {
  const invalid = () => badUserInput(`Invalid cursor in "${argumentName}": pass an endCursor or edge cursor returned by this API`, argumentName);
  if (cursor.length > 512) throw invalid();
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!text.startsWith(PREFIX)) throw invalid();
  let values: unknown;
  try {
    values = JSON.parse(text.slice(PREFIX.length));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(values) || values.length !== shape.length) throw invalid();
  shape.forEach((type, i) => {
    const value: unknown = values[i];
    if (type === 'number' ? !Number.isSafeInteger(value) : typeof value !== 'string') throw invalid();
  });
  return values as { [K in keyof T]: T[K] extends 'number' ? number : string };
}
