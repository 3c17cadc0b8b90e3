import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/** scrypt cost: N = 2^15, r = 8, p = 1 (32 MiB and tens of milliseconds per guess, per OWASP's minimum). */
const COST_LOG2 = 15;
const BLOCK_SIZE = 8;
const PARALLELISM = 1;
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
const STORED_PATTERN = /^scrypt\$(\d{1,2})\$(\d{1,2})\$(\d)\$([A-Za-z0-9_-]{22})\$([A-Za-z0-9_-]{43})$/;

interface ScryptParameters {
  costLog2: number;
  blockSize: number;
  parallelism: number;
}

const CURRENT: ScryptParameters = { costLog2: COST_LOG2, blockSize: BLOCK_SIZE, parallelism: PARALLELISM };

/**
 * Hashes a password for storage with scrypt, a memory-hard function, and a random salt per password, so a stolen
 * table costs an attacker 32 MiB and tens of milliseconds per guess per account. The result names its parameters
 * (`scrypt$15$8$1$<salt>$<hash>`), so they can be raised later without invalidating stored hashes.
 */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const hash = await derive(password, salt, CURRENT);
  return `scrypt$${COST_LOG2}$${BLOCK_SIZE}$${PARALLELISM}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

/** A salt for checks against no account; its result is thrown away. */
const NO_ACCOUNT_SALT = randomBytes(SALT_LENGTH);

/**
 * Whether `password` matches a stored hash, compared in constant time. With `stored` null (no account for that
 * email) it still derives a hash with the same cost, so the answer takes as long as for a wrong password and the
 * response time does not tell which email addresses have accounts.
 */
export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  const match = stored === null ? null : STORED_PATTERN.exec(stored);
  if (!match) {
    await derive(password, NO_ACCOUNT_SALT, CURRENT);
    return false;
  }
  const [, costLog2, blockSize, parallelism, salt, hash] = match as unknown as [string, string, string, string, string, string];
  const parameters = { costLog2: Number(costLog2), blockSize: Number(blockSize), parallelism: Number(parallelism) };
  // Bounded so that a corrupted row cannot make one check take minutes.
  if (parameters.costLog2 > 20 || parameters.blockSize > 16 || parameters.parallelism > 4) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await derive(password, Buffer.from(salt, 'base64url'), parameters);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

function derive(password: string, salt: Buffer, { costLog2, blockSize, parallelism }: ScryptParameters): Promise<Buffer> {
  const N = 2 ** costLog2;
  return new Promise((resolve, reject) => {
    // NFC: the same password typed on two keyboards may arrive composed or decomposed.
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, { N, r: blockSize, p: parallelism, maxmem: 2 * 128 * N * blockSize }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}
