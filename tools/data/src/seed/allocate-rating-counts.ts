import { zipfWeights } from './zipf-sampler.js';

/**
 * Splits `total` ratings over `size` films by popularity rank, Zipf-like, no film above `cap`.
 *
 * The cap exists because a film cannot get more ratings than there are users; what the capped films cannot take
 * goes to the others in proportion, so the total is met exactly. Returns counts by rank (rank 0 most rated).
 */
export function allocateRatingCounts(total: number, size: number, cap: number, exponent: number): number[] {
  if (total > size * cap) throw new RangeError(`${total} ratings do not fit ${size} films of at most ${cap} ratings each`);
  const weights = zipfWeights(size, exponent);
  const counts = new Array<number>(size).fill(0);
  let remaining = total;
  let remainingWeight = weights.reduce((sum, weight) => sum + weight, 0);
  // Weights decrease with rank, so the capped films form a prefix.
  let rank = 0;
  while (rank < size && (remaining * (weights[rank] ?? 0)) / remainingWeight >= cap) {
    counts[rank] = cap;
    remaining -= cap;
    remainingWeight -= weights[rank] ?? 0;
    rank++;
  }
  // Rounding the running sum, not each share, keeps the total exact and every count within one of its share.
  let cumulative = 0;
  let allocated = 0;
  for (; rank < size; rank++) {
    cumulative += (remaining * (weights[rank] ?? 0)) / remainingWeight;
    const rounded = Math.round(cumulative);
    counts[rank] = rounded - allocated;
    allocated = rounded;
  }
  return counts;
}
