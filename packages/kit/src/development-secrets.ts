import { z } from 'zod';
import { MIN_SUBGRAPH_SECRET_LENGTH } from './request-signature.js';

/**
 * The HS256 secret of client tokens when `JWT_SECRET` is unset, so that a fresh checkout runs with no setup. It is
 * public, so anyone could mint tokens for any user with it: services refuse it when `NODE_ENV=production`.
 */
export const DEVELOPMENT_JWT_SECRET = 'cinema-development-secret-not-for-production';

/**
 * The router ↔ subgraph signing secret when `SUBGRAPH_SECRET` is unset. Public like {@link DEVELOPMENT_JWT_SECRET},
 * and refused the same way in production, where it would let anyone call a subgraph as any user.
 */
export const DEVELOPMENT_SUBGRAPH_SECRET = 'cinema-development-subgraph-secret-not-for-production';

/** `SUBGRAPH_SECRET`: shared by the router and every subgraph; optional outside production. */
export const subgraphSecretSetting = z
  .string()
  .min(MIN_SUBGRAPH_SECRET_LENGTH, `SUBGRAPH_SECRET must be at least ${MIN_SUBGRAPH_SECRET_LENGTH} characters`)
  .optional();

/** `JWT_SECRET`: the HS256 secret of client tokens; optional outside production. */
export const jwtSecretSetting = z.string().min(32, 'JWT_SECRET must be at least 32 characters').optional();

interface SecretSettings {
  NODE_ENV: 'development' | 'test' | 'production';
  SUBGRAPH_SECRET?: string | undefined;
}

/**
 * Config transform that resolves `SUBGRAPH_SECRET` to `subgraphSecret`: the development default outside production,
 * a start-up error naming the variable in production.
 *
 * @example
 * const schema = subgraphConfigSchema.extend({ ... }).transform(resolveSubgraphSecret);
 */
export function resolveSubgraphSecret<T extends SecretSettings>(config: T, ctx: z.RefinementCtx): T & { subgraphSecret: string } {
  if (config.NODE_ENV === 'production' && !config.SUBGRAPH_SECRET) {
    ctx.addIssue({
      code: 'custom',
      path: ['SUBGRAPH_SECRET'],
      message: 'SUBGRAPH_SECRET is required when NODE_ENV=production (the development default is refused)',
    });
  }
  return { ...config, subgraphSecret: config.SUBGRAPH_SECRET ?? DEVELOPMENT_SUBGRAPH_SECRET };
}
