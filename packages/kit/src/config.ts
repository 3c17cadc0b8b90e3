import { z } from 'zod';

/** Raised when the environment does not satisfy a service's config schema; names every offending variable. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(readonly issues: readonly string[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  - ${i}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses the environment once, at start-up, into a frozen typed object.
 *
 * Services call this in `index.ts` only, so a typo in a variable stops the process before it listens
 * instead of surfacing as a confusing failure on the first request.
 */
export function parseConfig<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): Readonly<z.output<S>> {
  const result = schema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`));
  }
  return Object.freeze(result.data);
}

/** Boolean environment flag: accepts 1/0, true/false, yes/no (any case). */
export const envFlag = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.enum(['1', '0', 'true', 'false', 'yes', 'no', '']))
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

/** TCP port from the environment; 0 asks the OS for a free one (tests use it). */
export const envPort = z.coerce.number().int().min(0).max(65535);

/** `NODE_ENV`, where anything but `production` counts as development for secrets' defaults. */
export const envMode = z.enum(['development', 'test', 'production']).default('development');

export { z };

/**
 * Loads a service's config or exits with status 2 and the list of bad variables, instead of a stack trace: a
 * misconfiguration is an operator's mistake and the message is all they need.
 */
export function loadConfigOrExit<T>(load: () => T): T {
  try {
    return load();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
}
