import { parseConfig, resolveSubgraphSecret, subgraphConfigSchema, z } from '@cinema/kit/config';
import { DEVELOPMENT_STREAM_KEY, isDevelopmentStreamKey, parseStreamKeys } from '@cinema/kit/stream-token';

const urlList = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((url) => url.trim().replace(/\/+$/, ''))
      .filter(Boolean),
  )
  .pipe(z.array(z.string().url()));

const moviesConfigSchema = subgraphConfigSchema
  .extend({
    /** Base URLs of the chunk server replicas that stream movies; empty disables `Movie.stream`. */
    CHUNK_SERVER_URLS: urlList.default([]),
    /**
     * The same replicas as clients reach them, in the same order, when that differs from the address this service
     * health-checks (containers: `http://chunk-1:4100` inside, `https://chunk-1.example.com` outside).
     */
    CHUNK_SERVER_PUBLIC_URLS: urlList.default([]),
    /** Keys signing stream URLs (`kid:secret,...`, the first signs); the chunk servers must know them too. */
    STREAM_KEYS: z.string().optional(),
    /** Lifetime of a stream URL; long enough to watch a feature film without asking again. */
    STREAM_URL_TTL_SECONDS: z.coerce
      .number()
      .int()
      .min(10)
      .max(86_400)
      .default(4 * 3600),
    /** ε of consistent hashing with bounded loads. */
    STREAM_BALANCE_FACTOR: z.coerce.number().min(0.01).max(10).default(0.25),
    /**
     * The longest a chunk server that stops answering (dead, or its host silent) keeps getting new stream URLs: probes
     * start every interval minus their timeout (1 s, at most half the interval), see ChunkServerPool.
     */
    CHUNK_HEALTH_INTERVAL_MS: z.coerce.number().int().min(50).max(60_000).default(2000),
    /** How long a handed-out stream URL counts as load on its chunk server, until the server's own figures show it. */
    STREAM_ASSIGNMENT_WINDOW_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
  })
  .transform((config, ctx) => {
    let streamKeys = [DEVELOPMENT_STREAM_KEY];
    if (config.STREAM_KEYS) {
      try {
        streamKeys = parseStreamKeys(config.STREAM_KEYS);
      } catch (error) {
        ctx.addIssue({ code: 'custom', path: ['STREAM_KEYS'], message: (error as Error).message });
        return z.NEVER;
      }
    }
    if (config.NODE_ENV === 'production' && config.CHUNK_SERVER_URLS.length > 0 && streamKeys.some(isDevelopmentStreamKey)) {
      ctx.addIssue({ code: 'custom', path: ['STREAM_KEYS'], message: 'STREAM_KEYS must be set in production; the development key is public' });
      return z.NEVER;
    }
    const publicUrls = config.CHUNK_SERVER_PUBLIC_URLS;
    if (publicUrls.length > 0 && publicUrls.length !== config.CHUNK_SERVER_URLS.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['CHUNK_SERVER_PUBLIC_URLS'],
        message: 'must list one public URL per entry of CHUNK_SERVER_URLS, in the same order',
      });
      return z.NEVER;
    }
    const publicUrlOf = new Map(config.CHUNK_SERVER_URLS.map((url, i) => [url, publicUrls[i] ?? url]));
    return { ...config, signingKey: streamKeys[0]!, publicUrlOf };
  })
  .transform(resolveSubgraphSecret);

/** Reads the movies service's settings once; see README "Configuration". */
export function loadMoviesConfig(env: NodeJS.ProcessEnv = process.env) {
  return parseConfig(moviesConfigSchema, env);
}
