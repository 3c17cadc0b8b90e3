import { SignJWT } from 'jose';

/** How long a token from `signUp` or `logIn` is valid; the client signs in again after that. */
export const ACCOUNT_TOKEN_TTL_SECONDS = 7 * 24 * 3600;

/** A token for `Authorization: Bearer`, and when it expires. */
export interface AccountToken {
  token: string;
  expiresAt: Date;
}

/**
 * Issues the tokens of signed-in accounts: HS256 JWTs signed with the router's `JWT_SECRET`, so the router verifies
 * them like any other token, with the user id in `sub` and an expiry. No roles: roles come from the identity
 * provider that operators configure, never from self-service sign-up.
 */
export class AccountTokenIssuer {
  readonly #key: Uint8Array;
  readonly #ttlSeconds: number;

  constructor(secret: string, ttlSeconds: number = ACCOUNT_TOKEN_TTL_SECONDS) {
    this.#key = new TextEncoder().encode(secret);
    this.#ttlSeconds = ttlSeconds;
  }

  async issue(userId: string, now: Date = new Date()): Promise<AccountToken> {
    const issuedAt = Math.floor(now.getTime() / 1000);
    const expiresAt = issuedAt + this.#ttlSeconds;
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(userId)
      .setIssuedAt(issuedAt)
      .setExpirationTime(expiresAt)
      .sign(this.#key);
    return { token, expiresAt: new Date(expiresAt * 1000) };
  }
}
