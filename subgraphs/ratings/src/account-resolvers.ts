import { badUserInput, ErrorCode } from '@cinema/kit/errors';
import { GraphQLError } from 'graphql';
import type { AccountTokenIssuer } from './account-token.js';
import { createAccount, EmailTakenError, findAccountByEmail } from './account.repository.js';
import type { MutationResolvers, ResolversParentTypes } from './generated/resolvers-types.js';
import { hashPassword, verifyPassword } from './password-hash.js';

/** Password policy: long enough to resist guessing, short enough that hashing it stays cheap to bound. */
export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 128;
/** RFC 5321's limit on a forward path. */
const MAX_EMAIL_LENGTH = 254;
const EMAIL_PATTERN = /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/;

/**
 * `Mutation.signUp` and `Mutation.logIn`. Passwords are hashed with scrypt and compared in constant time; a log-in
 * with an unknown email costs the same hash as a wrong password and gets the same `INVALID_CREDENTIALS`, so neither
 * the answer nor its timing tells which addresses have accounts (`signUp`'s `EMAIL_TAKEN` necessarily does; the
 * router's rate limit bounds how fast anyone can ask). Nothing here logs a password or a token.
 */
export function accountMutations(tokens: AccountTokenIssuer): Pick<MutationResolvers, 'signUp' | 'logIn'> {
  const payload = async (userId: string): Promise<ResolversParentTypes['AuthPayload']> => {
    const { token, expiresAt } = await tokens.issue(userId);
    return { token, expiresAt: expiresAt.toISOString(), user: { id: userId } };
  };
  return {
    signUp: async (_, args, { db }) => {
      const email = normaliseEmail(args.email);
      checkPasswordPolicy(args.password);
      try {
        return await payload(await createAccount(db, { email, passwordHash: await hashPassword(args.password) }));
      } catch (error) {
        if (error instanceof EmailTakenError)
          throw new GraphQLError('An account with this email address exists; log in instead', {
            extensions: { code: ErrorCode.EMAIL_TAKEN, argumentName: 'email' },
          });
        throw error;
      }
    },
    logIn: async (_, args, { db }) => {
      const email = args.email.trim().toLowerCase();
      // Out-of-policy input cannot match an account; it is refused like a wrong password, after the same work.
      const plausible = email.length <= MAX_EMAIL_LENGTH && [...args.password].length <= MAX_PASSWORD_LENGTH;
      const account = plausible ? await findAccountByEmail(db, email) : undefined;
      const matches = await verifyPassword(plausible ? args.password : '', account?.password_hash ?? null);
      if (!account || !matches) throw new GraphQLError('Email address or password is wrong', { extensions: { code: ErrorCode.INVALID_CREDENTIALS } });
      return payload(account.user_id);
    },
  };
}

function normaliseEmail(raw: string): string {
  const email = raw.trim().toLowerCase();
  if (email.length > MAX_EMAIL_LENGTH || !EMAIL_PATTERN.test(email)) throw badUserInput('"email" must be an email address of at most 254 characters', 'email');
  return email;
}

function checkPasswordPolicy(password: string): void {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH || length > MAX_PASSWORD_LENGTH) {
    throw badUserInput(`"password" must be ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters long`, 'password');
  }
}
