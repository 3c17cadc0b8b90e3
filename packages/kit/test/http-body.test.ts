import { describe, expect, it } from 'vitest';
import { HttpBodyError, MAX_JSON_DEPTH, parseJsonBody } from '../src/http-body.js';

describe('parseJsonBody', () => {
  it('parses JSON, and refuses malformed or too deeply nested JSON with 400 BAD_REQUEST', () => {
    expect(parseJsonBody('{"query":"{ genres }","variables":{"x":[[1]]}}')).toEqual({ query: '{ genres }', variables: { x: [[1]] } });
    expect(parseJsonBody('  ')).toBeUndefined();
    const refused = (text: string) => {
      try {
        parseJsonBody(text);
      } catch (error) {
        return error instanceof HttpBodyError ? [error.status, error.code] : error;
      }
      return 'parsed';
    };
    expect(refused('{"query":')).toEqual([400, 'BAD_REQUEST']);
    expect(refused(`${'['.repeat(MAX_JSON_DEPTH + 1)}${']'.repeat(MAX_JSON_DEPTH + 1)}`)).toEqual([400, 'BAD_REQUEST']);
    expect(refused(`${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}`)).toBe('parsed');
    // Brackets inside strings, escaped quotes included, are text.
    expect(refused(JSON.stringify({ query: `"\\"${'['.repeat(500)}` }))).toBe('parsed');
  });
});
