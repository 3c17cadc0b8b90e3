import path from 'node:path';
import { envMode, envPort, parseConfig, z } from '@cinema/kit/config';
import { DEVELOPMENT_STREAM_KEY, isDevelopmentStreamKey, parseStreamKeys, type StreamKey } from '@cinema/kit/stream-token';
import { availableParallelism } from 'node:os';
import { normalisePeerUrl } from './backup-origins.js';
import { defaultMediaRoot } from './media-root.js';

const streamKeys = z
  .string()
  .optional()
  .transform((text, context): StreamKey[] | undefined => {
    if (text === undefined || text.trim() === '') return undefined;
    try {
      return parseStreamKeys(text);
    } catch (error) {
      context.addIssue({ code: 'custom', message: (error as Error).message });
      return z.NEVER;
    }
  });

const peerList = z
  .string()
  .optional()
  .transform((text, context): string[] => {
    const entries = (text ?? '')
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry !== '');
    try {
      return [...new Set(entries.map(normalisePeerUrl))];
    } catch (error) {
      context.addIssue({ code: 'custom', message: (error as Error).message });
      return z.NEVER;
    }
  });

const workerCount = z
  .string()
  .optional()
  .transform((text, context): number => {
    const value = (text ?? '').trim();
    if (value === '') return 1;
    if (value === 'auto') return availableParallelism();
    const count = Number(value);
    if (!Number.isInteger(count) || count < 1 || count > 256) {
      context.addIssue({ code: 'custom', message: 'must be a whole number of processes from 1 to 256, or "auto" (one per core)' });
      return z.NEVER;
    }
    return count;
  });

/**
 * The chunk server's environment. Variables: `PORT` (4100; 0 = any free port), `HOST` (127.0.0.1), `MEDIA_ROOT`
 * (`<repo>/.data/media`), `STREAM_KEYS` (`kid:secret,kid2:secret2` or JSON; the first one signs, all verify),
 * `NODE_ENV`, `LOG_LEVEL`, `CHUNK_SERVER_PEERS` (public base URLs of every replica, this one included, for the
 * redundant streams of master playlists), `CHUNK_SERVER_WORKERS` (processes sharing the port: 1, a number, or
 * `auto` for one per core), `CHUNK_SERVER_MEMORY_CACHE_MB` (128: small media files kept in memory per process; 0
 * serves everything from disk).
 *
 * Without `STREAM_KEYS` the public development key is used so that a fresh checkout streams; with
 * `NODE_ENV=production` that key is refused, by id or by secret, so a forgotten variable cannot ship a known key.
 */
export const chunkServerConfigSchema = z
  .object({
    NODE_ENV: envMode,
    PORT: envPort.default(4100),
    HOST: z.string().min(1).default('127.0.0.1'),
    MEDIA_ROOT: z
      .string()
      .min(1)
      .default(defaultMediaRoot)
      .transform((value) => path.resolve(value)),
    STREAM_KEYS: streamKeys,
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    CHUNK_SERVER_PEERS: peerList,
    CHUNK_SERVER_WORKERS: workerCount,
    CHUNK_SERVER_MEMORY_CACHE_MB: z.coerce.number().int().min(0).max(65_536).default(128),
  })
  .transform((env, context) => {
    const keys = env.STREAM_KEYS ?? [DEVELOPMENT_STREAM_KEY];
    if (env.NODE_ENV === 'production' && keys.some(isDevelopmentStreamKey)) {
      context.addIssue({
        code: 'custom',
        path: ['STREAM_KEYS'],
        message: 'STREAM_KEYS must be set to real secrets in production; the development key is public',
      });
      return z.NEVER;
    }
    // Variables keep their names, as in every service's config; what is derived from them is camelCase.
    return {
      ...env,
      streamKeys: keys,
      usesDevelopmentKey: keys.some(isDevelopmentStreamKey),
      memoryCacheBytes: env.CHUNK_SERVER_MEMORY_CACHE_MB * 1024 * 1024,
    };
  });

export type ChunkServerConfig = z.output<typeof chunkServerConfigSchema>;

/** Reads the environment once at start-up; a bad variable stops the process with its name in the message. */
export function loadChunkServerConfig(env: NodeJS.ProcessEnv = process.env): Readonly<ChunkServerConfig> {
  return parseConfig(chunkServerConfigSchema, env);
}
