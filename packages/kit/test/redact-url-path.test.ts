import { describe, expect, it } from 'vitest';
import { redactUrlPath } from '../src/tracing/redact-url-path.js';

describe('redactUrlPath', () => {
  it('hides the token of a signed stream path and keeps the asset and file', () => {
    expect(redactUrlPath('/s/v1.k1.eyJhIjoxfQ.c2ln/demo-1/720p/seg-3.m4s')).toBe('/s/[redacted]/demo-1/720p/seg-3.m4s');
  });

  it('drops the query string', () => {
    expect(redactUrlPath('/graphql?query=%7B%20genres%20%7D')).toBe('/graphql');
    expect(redactUrlPath('/s/token?x=1')).toBe('/s/[redacted]');
  });

  it('leaves other paths as they are', () => {
    for (const path of ['/graphql', '/health', '/feeds/catalogue', '/', '/search/s/x']) expect(redactUrlPath(path)).toBe(path);
  });
});
