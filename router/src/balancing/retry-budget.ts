export interface RetryBudgetOptions {
  /** Retries allowed per request sent: 0.1 lets retries add at most about 10% to the traffic. */
  ratio: number;
  /** Retries always allowed per second, so a quiet subgraph can still retry its rare failures. */
  minPerSecond: number;
  /** Most retries saved up from deposits; bounds the burst after a long quiet stretch. */
  maxBalance?: number;
}

/**
 * A token bucket that keeps retries from turning an outage into a retry storm. Every request deposits `ratio` of a
 * token and every retry withdraws a whole one, so over time retries stay within `ratio` of the traffic however many
 * requests fail; on top of that a small reserve refills at `minPerSecond`. When the bucket is empty a failed request
 * is answered with its failure rather than retried.
 */
export class RetryBudget {
  private balance = 0;
  private reserve: number;
  private reserveUpdatedAt: number;
  private readonly maxBalance: number;

  constructor(
    private readonly options: RetryBudgetOptions,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.maxBalance = options.maxBalance ?? 100;
    this.reserve = options.minPerSecond;
    this.reserveUpdatedAt = now();
  }

  /** Counts a request (not a retry) towards the budget. */
  deposit(): void {
    this.balance = Math.min(this.maxBalance, this.balance + this.options.ratio);
  }

  /** Takes one retry from the budget; false means the budget is spent and the request must not be retried. */
  tryWithdraw(): boolean {
    const now = this.now();
    this.reserve = Math.min(this.options.minPerSecond, this.reserve + ((now - this.reserveUpdatedAt) / 1000) * this.options.minPerSecond);
    this.reserveUpdatedAt = now;
    if (this.balance >= 1) {
      this.balance -= 1;
      return true;
    }
    if (this.reserve >= 1) {
      this.reserve -= 1;
      return true;
    }
    return false;
  }
}
