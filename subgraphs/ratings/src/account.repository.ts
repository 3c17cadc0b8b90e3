import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { RatingsDatabase } from './db/database.js';

/** Raised by {@link createAccount} when the email address already has an account. */
export class EmailTakenError extends Error {
  constructor() {
    super('An account with this email address exists');
    this.name = 'EmailTakenError';
  }
}

/**
 * Creates a user and its account in one transaction and returns the new user id. The email's unique index decides
 * races between two sign-ups with the same address: the loser gets {@link EmailTakenError} and nothing is written.
 */
export async function createAccount(db: Kysely<RatingsDatabase>, account: { email: string; passwordHash: string }): Promise<string> {
  const userId = `user-${randomUUID()}`;
  try {
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('users').values({ id: userId }).execute();
      await trx.insertInto('accounts').values({ user_id: userId, email: account.email, password_hash: account.passwordHash }).execute();
    });
  } catch (error) {
    if ((error as { code?: string }).code === '23505' && (error as { constraint?: string }).constraint === 'accounts_email_key') throw new EmailTakenError();
    throw error;
  }
  return userId;
}

/** The account of a (normalised) email address, or undefined. */
export function findAccountByEmail(db: Kysely<RatingsDatabase>, email: string) {
  return db.selectFrom('accounts').select(['user_id', 'password_hash']).where('email', '=', email).executeTakeFirst();
}
