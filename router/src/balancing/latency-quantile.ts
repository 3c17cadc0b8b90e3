/**
 * A high percentile of a subgraph's recent fetch latencies, the delay after which a fetch is hedged. It keeps the
 * last `windowSize` samples in a ring and re-sorts them only every `refreshEvery` samples: a percentile that lags a
 * few requests behind is as good a hedge delay as an exact one, and the fetch path then pays a few array writes.
 */
export class LatencyQuantile {
  private readonly samples: Float64Array;
  private readonly scratch: Float64Array;
  private count = 0;
  private next = 0;
  private sinceRefresh = 0;
  private current: number | undefined;

  constructor(
    /** 0 < quantile < 1, e.g. 0.95. */
    private readonly quantile: number,
    private readonly options: { windowSize?: number; refreshEvery?: number; minSamples?: number } = {},
  ) {
    const size = options.windowSize ?? 256;
    this.samples = new Float64Array(size);
    this.scratch = new Float64Array(size);
  }

  record(ms: number): void {
    this.samples[this.next] = ms;
    this.next = (this.next + 1) % this.samples.length;
    if (this.count < this.samples.length) this.count += 1;
    this.sinceRefresh += 1;
    if (this.current === undefined ? this.count >= (this.options.minSamples ?? 20) : this.sinceRefresh >= (this.options.refreshEvery ?? 16)) this.refresh();
  }

  /** The percentile of the window, or undefined until it holds `minSamples` samples. */
  value(): number | undefined {
    return this.current;
  }

  private refresh(): void {
    this.sinceRefresh = 0;
    const sorted = this.scratch.subarray(0, this.count);
    sorted.set(this.samples.subarray(0, this.count));
    sorted.sort();
    this.current = sorted[Math.min(this.count - 1, Math.floor(this.quantile * this.count))];
  }
}
