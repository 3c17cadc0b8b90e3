import { Writable } from 'node:stream';
import { GraphQLError } from 'graphql';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createErrorFormatter } from '../src/error-formatter.js';

/** A real pino logger whose lines are kept for the test. */
function capturedLogger() {
  const lines: Array<{ level: number; msg: string }> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const text of chunk.toString().split('\n')) if (text) lines.push(JSON.parse(text) as { level: number; msg: string });
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, sink), lines };
}

/** What graphql-js and the gateway hand the formatter: the resolver's error wrapped in a GraphQLError. */
function wrapped(original: Error) {
  const error = new GraphQLError(original.message, { originalError: original, path: ['movie'] });
  return { formatted: error.toJSON(), error };
}

describe('createErrorFormatter', () => {
  it('logs an internal error as an error and masks it in production', () => {
    const { logger, lines } = capturedLogger();
    const { formatted, error } = wrapped(new Error('relation "movies" does not exist'));
    const answer = createErrorFormatter(logger, false)(formatted, error);
    expect(answer).toEqual({ message: 'Internal server error', path: ['movie'], extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(lines.map((line) => [line.level, line.msg])).toEqual([[50, 'internal error while resolving']]);
  });

  it.each([
    ['the router', 'CALLER_GONE', 'the caller gave up on the request'],
    ['a subgraph whose SQL was cancelled', 'QUERY_CANCELLED', 'query cancelled: the request was given up'],
  ])('does not report work given up because the client left (%s) as an internal error', (_where, code, message) => {
    const { logger, lines } = capturedLogger();
    const { formatted, error } = wrapped(Object.assign(new Error(message), { code }));
    createErrorFormatter(logger, false)(formatted, error);
    expect(lines.map((line) => [line.level, line.msg])).toEqual([[20, 'gave up resolving: the client left']]);
  });
});
