import { SignJWT } from 'jose';

/**
 * Signs a token the router accepts, for development and tests. Real deployments get tokens from their identity
 * provider; the router only needs the shared HS256 secret and the user id in `sub`.
 */
export function signDevToken(userId: string, secret: string, expiresIn: string | number = '12h', roles: readonly string[] = []): Promise<string> {
  return new SignJWT(roles.length > 0 ? { roles: [...roles] } : {})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(userId)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(new TextEncoder().encode(secret));
}
