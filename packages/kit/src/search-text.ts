import { badUserInput } from './error-codes.js';

/** Longest search text accepted: titles and names are short, and trigram matching costs grow with the text. */
const MAX_SEARCH_TEXT_LENGTH = 200;

/**
 * Validates and normalises the text of a search field. Control characters (NUL cannot even be sent to
 * PostgreSQL) become spaces, Unicode is NFKC-normalised so look-alike forms match, and runs of spaces collapse.
 * Empty or over-long text is a client error with a stable code, never a database error; anything else, quotes and
 * operators included, is passed on as a bound parameter and parsed by `websearch_to_tsquery`, which never fails.
 */
export function parseSearchText(text: string, argumentName = 'query'): string {
  if (text.length > MAX_SEARCH_TEXT_LENGTH) {
    throw badUserInput(`"${argumentName}" must be at most ${MAX_SEARCH_TEXT_LENGTH} characters, got ${text.length}`, argumentName);
  }
  const normalized = text
    .normalize('NFKC')
    .replace(/[\p{Cc}\p{Cs}]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (normalized === '') throw badUserInput(`"${argumentName}" must contain something to search for`, argumentName);
  return normalized;
}
