import { describe, expect, it } from 'vitest';
import { RetryBudget } from '../src/balancing/retry-budget.js';

function budget(minPerSecond: number, ratio = 0.1, maxBalance?: number) {
  let now = 0;
  const made = new RetryBudget({ ratio, minPerSecond, ...(maxBalance === undefined ? {} : { maxBalance }) }, () => now);
  return { budget: made, advance: (ms: number) => (now += ms) };
}

const withdrawals = (retryBudget: RetryBudget, attempts: number) => Array.from({ length: attempts }, () => retryBudget.tryWithdraw()).filter(Boolean).length;

describe('RetryBudget', () => {
  it('allows about one retry per ten requests when every request fails', () => {
    const { budget: b } = budget(0);
    let retries = 0;
    for (let i = 0; i < 10_000; i++) {
      b.deposit();
      if (b.tryWithdraw()) retries += 1;
    }
    expect(retries).toBeGreaterThanOrEqual(999);
    expect(retries).toBeLessThanOrEqual(1_000);
  });

  it('keeps a small reserve per second for quiet subgraphs, refilled over time but never hoarded', () => {
    const { budget: b, advance } = budget(5);
    expect(withdrawals(b, 20)).toBe(5);
    advance(400);
    expect(withdrawals(b, 20)).toBe(2);
    advance(60_000);
    expect(withdrawals(b, 20)).toBe(5);
  });

  it('caps what deposits save up, so a long healthy stretch cannot fund a retry storm', () => {
    const { budget: b } = budget(0, 0.1, 20);
    for (let i = 0; i < 100_000; i++) b.deposit();
    expect(withdrawals(b, 1_000)).toBe(20);
  });
});
