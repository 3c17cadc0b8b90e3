import { badUserInput } from '@cinema/kit/errors';

/** Longest duration accepted: a week of video; anything longer is a player bug, not a movie. */
export const MAX_DURATION_SECONDS = 7 * 24 * 3600;

/**
 * Rejects a position or duration no player could report before any statement runs, naming the argument, so a buggy
 * client gets BAD_USER_INPUT instead of a constraint violation. The database enforces the same bounds with CHECKs.
 */
export function assertValidProgress(positionSeconds: number, durationSeconds: number): void {
  if (!Number.isFinite(durationSeconds) || durationSeconds <= 0 || durationSeconds > MAX_DURATION_SECONDS) {
    throw badUserInput(`"durationSeconds" must be above 0 and at most ${MAX_DURATION_SECONDS}, got ${durationSeconds}`, 'durationSeconds');
  }
  if (!Number.isFinite(positionSeconds) || positionSeconds < 0) {
    throw badUserInput(`"positionSeconds" must be a number of seconds, 0 or more, got ${positionSeconds}`, 'positionSeconds');
  }
  if (positionSeconds > durationSeconds) {
    throw badUserInput(`"positionSeconds" (${positionSeconds}) must not be past "durationSeconds" (${durationSeconds})`, 'positionSeconds');
  }
}
