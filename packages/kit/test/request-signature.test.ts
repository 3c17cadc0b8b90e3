import { describe, expect, it } from 'vitest';
import { DEVELOPMENT_SUBGRAPH_SECRET, resolveSubgraphSecret } from '../src/development-secrets.js';
import { RequestVerifier, SIGNATURE_HEADER, SIGNATURE_MAX_SKEW_MS, signRequest, type SignableRequest } from '../src/request-signature.js';
import { subgraphConfigSchema } from '../src/service-config.js';

const secret = 's'.repeat(40);
const now = 1_800_000_000_000;
const body = JSON.stringify({ query: '{ me { id } }' });

/** A request as the router sends it: signed over its identity headers and body. */
function signed(overrides: Partial<SignableRequest> = {}, at = now): SignableRequest & { headers: Record<string, string> } {
  const request = {
    method: 'POST',
    path: '/graphql',
    headers: { 'content-type': 'application/json', 'x-user-id': 'alice' } as Record<string, string>,
    body,
    ...overrides,
  };
  return { ...request, headers: { ...request.headers, [SIGNATURE_HEADER]: signRequest(secret, request, at) } };
}

describe('router request signatures', () => {
  it('verify what the router signed, once', () => {
    const verifier = new RequestVerifier(secret);
    const request = signed();
    expect(verifier.verify(request, now)).toEqual({ ok: true });
    expect(verifier.verify(request, now + 1)).toEqual({ ok: false, status: 403, reason: 'replayed' });
    // Two identical requests the router signs separately both pass: each has its own nonce.
    expect(verifier.verify(signed(), now)).toEqual({ ok: true });
  });

  it('refuse a request without a signature with 401, and a garbled one with 403', () => {
    const verifier = new RequestVerifier(secret);
    expect(verifier.verify({ method: 'POST', path: '/graphql', headers: {}, body }, now)).toMatchObject({ status: 401, reason: 'missing' });
    for (const header of ['v1=abc', 't=1,n=short,v1=x', `t=${now},n=${'a'.repeat(20)},v1=${'A'.repeat(43)},extra`]) {
      expect(verifier.verify({ method: 'POST', path: '/graphql', headers: { [SIGNATURE_HEADER]: header }, body }, now)).toMatchObject({
        status: 403,
        reason: 'malformed',
      });
    }
    expect(verifier.verify({ method: 'POST', path: '/graphql', headers: { [SIGNATURE_HEADER]: ['a', 'b'] }, body }, now)).toMatchObject({ status: 403 });
  });

  it('cover the forwarded identity: another user id, added roles or a user on an anonymous request fail', () => {
    const verifier = new RequestVerifier(secret);
    const request = signed();
    expect(verifier.verify({ ...request, headers: { ...request.headers, 'x-user-id': 'mallory' } }, now)).toMatchObject({ status: 403, reason: 'mismatch' });
    expect(verifier.verify({ ...request, headers: { ...request.headers, 'x-user-roles': 'editor' } }, now)).toMatchObject({ status: 403, reason: 'mismatch' });
    const anonymous = signed({ headers: {} });
    expect(verifier.verify({ ...anonymous, headers: { ...anonymous.headers, 'x-user-id': 'alice' } }, now)).toMatchObject({ status: 403, reason: 'mismatch' });
  });

  it('cover the method, the path with its query string and every byte of the body', () => {
    const verifier = new RequestVerifier(secret);
    const request = signed();
    expect(verifier.verify({ ...request, method: 'GET' }, now)).toMatchObject({ reason: 'mismatch' });
    expect(verifier.verify({ ...request, path: '/graphql?x=1' }, now)).toMatchObject({ reason: 'mismatch' });
    expect(verifier.verify({ ...request, body: body.replace('me', 'me ') }, now)).toMatchObject({ reason: 'mismatch' });
    expect(verifier.verify({ ...request, body: Buffer.from(body) }, now)).toEqual({ ok: true });
  });

  it('refuse another secret, and timestamps outside the window either way', () => {
    expect(new RequestVerifier('t'.repeat(40)).verify(signed(), now)).toMatchObject({ status: 403, reason: 'mismatch' });
    const verifier = new RequestVerifier(secret);
    expect(verifier.verify(signed({}, now - SIGNATURE_MAX_SKEW_MS - 1), now)).toMatchObject({ status: 403, reason: 'expired' });
    expect(verifier.verify(signed({}, now + SIGNATURE_MAX_SKEW_MS + 1), now)).toMatchObject({ status: 403, reason: 'expired' });
    expect(verifier.verify(signed({}, now - SIGNATURE_MAX_SKEW_MS + 1000), now)).toEqual({ ok: true });
  });

  it('remember nonces only while their timestamp could still pass, within a bounded memory', () => {
    const verifier = new RequestVerifier(secret, { maxRememberedNonces: 3 });
    const first = signed();
    expect(verifier.verify(first, now)).toEqual({ ok: true });
    for (let i = 0; i < 3; i++) expect(verifier.verify(signed(), now)).toEqual({ ok: true });
    // The oldest nonce was dropped to stay within three: under a flood, the replay memory gets shorter.
    expect(verifier.verify(first, now)).toEqual({ ok: true });
  });
});

describe('SUBGRAPH_SECRET', () => {
  const load = (env: Record<string, string>) =>
    subgraphConfigSchema.transform(resolveSubgraphSecret).safeParse({ DATABASE_URL: 'postgres://x@localhost/db', PORT: '0', ...env });

  it('defaults to the development secret outside production and is required in production', () => {
    expect(load({}).data?.subgraphSecret).toBe(DEVELOPMENT_SUBGRAPH_SECRET);
    expect(load({ NODE_ENV: 'production' }).error?.issues.map((i) => i.message)).toEqual([
      'SUBGRAPH_SECRET is required when NODE_ENV=production (the development default is refused)',
    ]);
    expect(load({ NODE_ENV: 'production', SUBGRAPH_SECRET: 'x'.repeat(32) }).data?.subgraphSecret).toBe('x'.repeat(32));
    expect(load({ SUBGRAPH_SECRET: 'short' }).error?.issues[0]?.message).toMatch(/at least 32 characters/);
  });
});
