import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/** One Compose service, with just the fields the deployment tests look at. */
export interface ComposeService {
  image?: string;
  build?: { context: string; target?: string };
  command?: string[];
  environment?: Record<string, string | number | boolean | null>;
  healthcheck?: { test?: string[]; disable?: boolean };
  depends_on?: Record<string, { condition: string }> | string[];
  deploy?: { replicas?: number };
  ports?: string[];
  volumes?: string[];
  privileged?: boolean;
  read_only?: boolean;
  restart?: string;
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
  [extension: `x-${string}`]: unknown;
}

/**
 * Reads a Compose file the way `docker compose config` does for what matters here: YAML merge keys (`<<: *anchor`)
 * resolved, then `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?message}` and `$$` interpolated in every
 * string value from `env` (a missing required variable throws, as Compose refuses to start).
 */
export function loadComposeFile(file: string, env: Record<string, string | undefined> = {}): ComposeFile {
  const document = parse(readFileSync(file, 'utf8'), { merge: true }) as unknown;
  return interpolate(document, env) as ComposeFile;
}

function interpolate(value: unknown, env: Record<string, string | undefined>): unknown {
  if (typeof value === 'string') return interpolateString(value, env);
  if (Array.isArray(value)) return value.map((item) => interpolate(item, env));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, interpolate(item, env)]));
  return value;
}

function interpolateString(text: string, env: Record<string, string | undefined>): string {
  return text.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (match, braced?: string, operator?: string, argument = '', bare?: string) => {
      if (match === '$$') return '$';
      const name = braced ?? bare ?? '';
      const current = env[name];
      const missing = operator?.startsWith(':') ? !current : current === undefined;
      if (!missing) return current ?? '';
      if (operator?.endsWith('?')) throw new Error(`required variable ${name} is missing: ${argument}`);
      return operator ? argument : '';
    },
  );
}
