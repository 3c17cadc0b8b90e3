import { describe, expect, it } from 'vitest';
import { isValidRequestId, requestIdOf } from '../src/request-id.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('requestIdOf', () => {
  it("keeps a caller's sane id", () => {
    for (const id of ['abc', 'req-1.2_3', 'x'.repeat(64), '0f0e1d2c-3b4a-4968-8776-655443322110']) {
      expect(isValidRequestId(id)).toBe(true);
      expect(requestIdOf({ 'x-request-id': id })).toBe(id);
    }
  });

  it('replaces a missing, oversized or unsafe id with a fresh UUID', () => {
    for (const headers of [
      {},
      { 'x-request-id': '' },
      { 'x-request-id': 'x'.repeat(65) },
      { 'x-request-id': 'a b' },
      { 'x-request-id': 'a\nlevel=error' },
      { 'x-request-id': '"}' },
      { 'x-request-id': ['a', 'b'] },
    ]) {
      expect(requestIdOf(headers)).toMatch(UUID);
    }
  });

  it('gives every request without an id a different one', () => {
    expect(requestIdOf({})).not.toBe(requestIdOf({}));
  });
});
