import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { loadRouterConfig } from '../src/config.js';
import { DocumentLimits } from '../src/limits/document-limits.js';
import { MemoryRateLimiter } from '../src/rate-limit/memory-rate-limiter.js';
import { routerAdmission } from '../src/router-admission.js';

/**
 * `RouterAdmission.byBodyAlone` lets the response cache's fast path admit a body it has admitted before without
 * asking again (cache-hit-fast-path.ts). It must be false whenever an answer can change for the same body: with a
 * rate limiter, the same body is refused once the client's budget is spent.
 */
const { queryLimits } = loadRouterConfig({});
const QUERY = '{ movie(id: "1") { id title } }';
const url = new URL('http://localhost/graphql');
const post = { method: 'POST', headers: { 'content-type': 'application/json' }, socket: { remoteAddress: '127.0.0.1' } } as unknown as IncomingMessage;
const request = { url, bytes: Buffer.from(JSON.stringify({ query: QUERY })), body: () => ({ query: QUERY }) };
const options = {
  maxBatchSize: 1,
  perMinute: 2,
  identify: () => Promise.resolve({ userId: null, roles: [] }),
  clientAddress: () => '127.0.0.1',
  documentLimits: new DocumentLimits(queryLimits),
};

describe('router admission', () => {
  it('answers by the body alone without a rate limiter: the same body is admitted every time', async () => {
    const admit = routerAdmission(options);
    expect(admit.byBodyAlone).toBe(true);
    for (let i = 0; i < 5; i++) expect(await admit(post, request)).toBeNull();
  });

  it('does not answer by the body alone with a rate limiter: the same body is refused once the budget is spent', async () => {
    const admit = routerAdmission({ ...options, limiter: new MemoryRateLimiter(2) });
    expect(admit.byBodyAlone).toBe(false);
    expect(await admit(post, request)).toBeNull();
    expect(await admit(post, request)).toBeNull();
    expect((await admit(post, request))?.code).toBe('RATE_LIMITED');
  });
});
