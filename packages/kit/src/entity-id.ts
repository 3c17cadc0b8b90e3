import { badUserInput } from './error-codes.js';

/**
 * Parses a GraphQL `ID` that names a row with an integer key. A malformed id is a client error with a stable code,
 * not a database error: we never send `"abc"` or `"1e99"` to PostgreSQL.
 */
export function parseIntegerId(id: string, argumentName = 'id'): number {
  if (!/^[1-9][0-9]{0,9}$/.test(id) || Number(id) > 2_147_483_647) {
    throw badUserInput(`"${argumentName}" must be a positive integer id, got ${JSON.stringify(id.slice(0, 40))}`, argumentName);
  }
  return Number(id);
}

/** Like {@link parseIntegerId}, but answers `null` for ids that cannot exist, for entity references. */
export function tryParseIntegerId(id: unknown): number | null {
  if (typeof id === 'number') return Number.isSafeInteger(id) && id > 0 && id <= 2_147_483_647 ? id : null;
  if (typeof id !== 'string' || !/^[1-9][0-9]{0,9}$/.test(id) || Number(id) > 2_147_483_647) return null;
  return Number(id);
}

/**
 * Validates a page size: a client asking for more than `max` gets an error saying the bound, rather than a silently
 * shorter page it might mistake for the end of the list.
 */
export function parsePageSize(first: number | null | undefined, defaultSize: number, max: number, argumentName = 'first'): number {
  const size = first ?? defaultSize;
  if (!Number.isInteger(size) || size < 0 || size > max) {
    throw badUserInput(`"${argumentName}" must be between 0 and ${max}, got ${size}`, argumentName);
  }
  return size;
}
