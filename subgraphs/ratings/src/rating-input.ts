import { badUserInput } from '@cinema/kit/errors';

/** Inclusive bounds of a score; the database enforces the same with a CHECK constraint. */
export const MIN_SCORE = 1;
export const MAX_SCORE = 10;

/** Rejects a score outside 1–10 before any statement runs, so nothing is half-written. */
export function assertValidScore(score: number): void {
  if (!Number.isInteger(score) || score < MIN_SCORE || score > MAX_SCORE) {
    throw badUserInput(`"score" must be an integer from ${MIN_SCORE} to ${MAX_SCORE}, got ${score}`, 'score');
  }
}
