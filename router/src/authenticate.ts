import { ErrorCode } from '@cinema/kit/errors';
import { isValidUserId, type Identity } from '@cinema/kit/identity';
import { GraphQLError } from 'graphql';
import { errors, jwtVerify } from 'jose';

/**
 * Resolves the `Authorization` header to the caller: the user id from `sub` and the roles from a `roles` claim. No header means an anonymous request (public fields still
 * work); a header that is present but invalid or expired is refused with 401 and `UNAUTHENTICATED`, because
 * silently downgrading a broken token to anonymous hides the client's bug.
 */
export async function authenticate(authorization: string | undefined, secret: Uint8Array): Promise<Identity> {
  if (authorization === undefined || authorization === '') return { userId: null, roles: [] };
  const match = /^Bearer\s+(\S+)$/i.exec(authorization);
  if (!match) throw unauthenticated('Authorization header must be "Bearer <token>"');
  try {
    const { payload } = await jwtVerify(match[1]!, secret, { algorithms: ['HS256'] });
    if (typeof payload.sub !== 'string' || !isValidUserId(payload.sub)) throw unauthenticated('Token has no valid "sub" (user id) claim');
    const roles = Array.isArray(payload.roles) ? payload.roles.filter((role): role is string => typeof role === 'string') : [];
    return { userId: payload.sub, roles };
  } catch (error) {
    if (error instanceof GraphQLError) throw error;
    if (error instanceof errors.JWTExpired) throw unauthenticated('Token has expired');
    throw unauthenticated('Token is invalid');
  }
}

function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.UNAUTHENTICATED, http: { status: 401 } } });
}
