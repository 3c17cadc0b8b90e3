import { describe, expect, it } from 'vitest';
import {
  DEVELOPMENT_STREAM_KEY,
  StreamTokenError,
  isDevelopmentStreamKey,
  parseStreamKeys,
  signStreamToken,
  verifyStreamToken,
  type StreamKey,
} from '../src/stream-token.js';

const current: StreamKey = { kid: 'k2026', secret: 'a'.repeat(40) };
const previous: StreamKey = { kid: 'k2025', secret: 'b'.repeat(40) };
const now = new Date('2026-01-01T12:00:00Z');
const inOneHour = new Date(now.getTime() + 3600_000);

describe('signStreamToken / verifyStreamToken', () => {
  it('round-trips the user of a valid token for its asset', () => {
    const token = signStreamToken(current, { assetId: 'demo-1', userId: 'user:42@example.com', expiresAt: inOneHour });
    expect(token).toMatch(/^[A-Za-z0-9._-]+$/);
    expect(verifyStreamToken([current], token, 'demo-1', now)).toEqual({
      ok: true,
      userId: 'user:42@example.com',
      kid: 'k2026',
      expiresAt: new Date(Math.floor(inOneHour.getTime() / 1000) * 1000),
    });
  });

  it('accepts any configured key id so keys can rotate', () => {
    const old = signStreamToken(previous, { assetId: 'demo-1', userId: 'u1', expiresAt: inOneHour });
    expect(verifyStreamToken([current, previous], old, 'demo-1', now).ok).toBe(true);
    expect(verifyStreamToken([current], old, 'demo-1', now)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('reports expiry only for authentic tokens', () => {
    const past = new Date(now.getTime() - 1000);
    const token = signStreamToken(current, { assetId: 'demo-1', userId: 'u1', expiresAt: past });
    expect(verifyStreamToken([current], token, 'demo-1', now)).toEqual({ ok: false, reason: 'expired' });
    const [kid, , user, mac] = token.split('.');
    const extended = [kid, Math.floor(inOneHour.getTime() / 1000), user, mac].join('.');
    expect(verifyStreamToken([current], extended, 'demo-1', now)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('binds the token to its asset and its user', () => {
    const token = signStreamToken(current, { assetId: 'demo-1', userId: 'alice', expiresAt: inOneHour });
    expect(verifyStreamToken([current], token, 'demo-2', now).ok).toBe(false);
    const [kid, expiry, , mac] = token.split('.');
    const asBob = [kid, expiry, Buffer.from('bob').toString('base64url'), mac].join('.');
    expect(verifyStreamToken([current], asBob, 'demo-1', now).ok).toBe(false);
  });

  it('rejects malformed and tampered tokens as invalid', () => {
    const token = signStreamToken(current, { assetId: 'demo-1', userId: 'u1', expiresAt: inOneHour });
    const flipped = token.slice(0, -2) + (token.at(-2) === 'A' ? 'B' : 'A') + token.at(-1);
    for (const bad of ['', 'x', token + 'A', flipped, token.replace('k2026', 'nope'), 'a'.repeat(600)]) {
      expect(verifyStreamToken([current], bad, 'demo-1', now)).toEqual({ ok: false, reason: 'invalid' });
    }
  });

  it('refuses to sign what the verifier could never accept', () => {
    expect(() => signStreamToken(current, { assetId: '../etc', userId: 'u1', expiresAt: inOneHour })).toThrow(StreamTokenError);
    expect(() => signStreamToken(current, { assetId: 'demo-1', userId: 'has space', expiresAt: inOneHour })).toThrow(StreamTokenError);
    expect(() => signStreamToken({ kid: 'k', secret: 'short' }, { assetId: 'demo-1', userId: 'u1', expiresAt: inOneHour })).toThrow(/shorter than 32/);
  });
});

describe('parseStreamKeys', () => {
  const secret = 's'.repeat(32);

  it('reads the short list form and both JSON forms, first key first', () => {
    expect(parseStreamKeys(`k1:${secret}, k2:${secret}:with-colon`)).toEqual([
      { kid: 'k1', secret },
      { kid: 'k2', secret: `${secret}:with-colon` },
    ]);
    expect(parseStreamKeys(JSON.stringify({ k1: secret }))).toEqual([{ kid: 'k1', secret }]);
    expect(parseStreamKeys(JSON.stringify([{ kid: 'k1', secret }]))).toEqual([{ kid: 'k1', secret }]);
  });

  it('rejects empty lists, duplicates, weak secrets and broken JSON', () => {
    for (const bad of ['', 'nocolon', `k1:${secret},k1:${secret}`, 'k1:short', '{"k1":', `bad kid:${secret}`]) {
      expect(() => parseStreamKeys(bad)).toThrow(StreamTokenError);
    }
  });

  it('recognises the development key by id or by secret', () => {
    expect(isDevelopmentStreamKey(DEVELOPMENT_STREAM_KEY)).toBe(true);
    expect(isDevelopmentStreamKey({ kid: 'prod', secret: DEVELOPMENT_STREAM_KEY.secret })).toBe(true);
    expect(isDevelopmentStreamKey({ kid: 'prod', secret })).toBe(false);
  });
});
