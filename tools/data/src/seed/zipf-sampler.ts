import type { Random } from './random.js';

/** Weight of each rank under a Zipf-like law: rank k (0-based) weighs 1 / (k + 1)^exponent. */
export function zipfWeights(size: number, exponent: number): number[] {
  return Array.from({ length: size }, (_, rank) => 1 / (rank + 1) ** exponent);
}

/**
 * Draws ranks with Zipf-like probabilities: a few ranks come up often, most rarely. Real catalogues look like this
 * (a handful of stars and blockbusters, a long tail), and a uniform draw would hide every ranking or caching effect.
 */
export class ZipfSampler {
  readonly #cumulative: Float64Array;

  constructor(size: number, exponent: number) {
    const weights = zipfWeights(size, exponent);
    this.#cumulative = new Float64Array(size);
    let total = 0;
    weights.forEach((weight, rank) => {
      total += weight;
      this.#cumulative[rank] = total;
    });
  }

  /** A rank in [0, size), rank 0 being the most likely. */
  sample(random: Random): number {
    const cumulative = this.#cumulative;
    const target = random.next() * (cumulative[cumulative.length - 1] ?? 0);
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((cumulative[middle] ?? 0) > target) high = middle;
      else low = middle + 1;
    }
    return low;
  }
}
