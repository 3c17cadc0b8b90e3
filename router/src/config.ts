import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ConfigError,
  DEVELOPMENT_JWT_SECRET,
  envFlag,
  envMode,
  envPort,
  parseConfig,
  resolveSubgraphSecret,
  subgraphSecretSetting,
  z,
} from '@cinema/kit/config';
import { DEFAULT_HEAVY_REQUEST_LIMIT } from './balancing/heavy-request-gate.js';
import { parseReplicaSource, ReplicaSourceError, type ReplicaSource } from './balancing/replica-source.js';
import type { UpstreamPolicy } from './balancing/subgraph-upstream.js';
import type { QueryLimits } from './limits/query-limits.js';
import { subgraphEnvName, supergraphSubgraphNames } from './supergraph-subgraph-names.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * A secret that only development may use. Outside development a missing JWT_SECRET must stop start-up, because a
 * well-known secret lets anyone mint tokens for any user. Defined in the kit: the ratings service signs tokens too.
 */
export { DEVELOPMENT_JWT_SECRET };

/** A comma-separated list of replica entries: `http(s)://` URLs and `dns://name:port/path` names. */
const replicaList = z
  .string()
  .transform((value, ctx) => {
    const entries = value
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean);
    for (const entry of entries) {
      try {
        parseReplicaSource(entry);
      } catch (error) {
        if (!(error instanceof ReplicaSourceError)) throw error;
        ctx.addIssue({ code: 'custom', message: error.message });
      }
    }
    return entries;
  })
  .pipe(z.array(z.string()).min(1, 'list at least one replica'));

/** Browser origins, comma-separated, each exactly `scheme://host[:port]`. */
const originList = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean),
  )
  .pipe(
    z.array(
      z
        .string()
        .refine(
          (entry) => URL.canParse(entry) && new URL(entry).origin === entry,
          'each entry must be an origin such as https://app.example.com (no path, no trailing slash, no *)',
        ),
    ),
  );

const limit = (fallback: number, max: number) => z.coerce.number().int().min(1).max(max).default(fallback);

const milliseconds = (fallback: number, min = 1) => z.coerce.number().int().min(min).max(600_000).default(fallback);
const timeoutOverride = z.coerce.number().int().min(1).max(600_000).optional();

const defaultSupergraphPath = path.join(repoRoot, 'schema', 'supergraph.graphql');

const routerConfigSchema = z
  .object({
    NODE_ENV: envMode,
    HOST: z.string().default('127.0.0.1'),
    PORT: envPort.default(4000),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    JWT_SECRET: z.string().min(32, 'JWT_SECRET must be at least 32 characters').optional(),
    /** Secret shared with every subgraph: the router signs each request it sends them with it (README, "Security"). */
    SUBGRAPH_SECRET: subgraphSecretSetting,
    /**
     * Requests per minute per client (the user id of a valid token, else the IP address), counted in Redis so every
     * router instance shares the count (in process without REDIS_URL); 0 turns rate limiting off.
     */
    RATE_LIMIT: z.coerce.number().int().min(0).max(1_000_000).default(600),
    /**
     * Proxies in front of the router that append the client's address to X-Forwarded-For (a load balancer, an
     * ingress): the client is the entry this many from the end. 0 ignores the header, which clients can forge.
     */
    TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
    /** Browser origins allowed to call the API from another site, comma-separated; empty: no CORS headers at all. */
    CORS_ORIGINS: originList.default([]),
    /** Schema introspection (the playground needs it); unset: on in development, off in production. */
    INTROSPECTION: envFlag.optional(),
    /** Allow-list mode: only the operations registered in PERSISTED_QUERIES_MANIFEST run, by hash or by text. */
    PERSISTED_QUERIES_ONLY: envFlag.default(false),
    /** Registered operations (Apollo's persisted query manifest format); `npm run operations:persist` writes it. */
    PERSISTED_QUERIES_MANIFEST: z.string().default(path.join(repoRoot, 'schema', 'persisted-operations.json')),
    /** Query limits, checked before planning (README, "Security"). Depth and aliases count with fragments expanded. */
    MAX_QUERY_DEPTH: limit(12, 100),
    MAX_QUERY_ALIASES: limit(30, 10_000),
    MAX_QUERY_TOKENS: limit(2_000, 1_000_000),
    /**
     * Highest estimated cost: objects the answer may hold, lists counted at their `first`/`limit` (see estimateCost).
     * 50,000 admits the deepest query the schema's own argument limits allow over two nested lists
     * (`topRatedMovies(limit: 100) { cast { person { movies { ... } } } }`, 44,100).
     */
    MAX_QUERY_COST: limit(50_000, 100_000_000),
    /** Size assumed for lists without `first`/`limit` (`cast`, `Person.movies`) when estimating cost. */
    ASSUMED_LIST_SIZE: limit(20, 10_000),
    /** Most operations in one batched HTTP request (a JSON array); 1 turns batching off. */
    MAX_BATCH_SIZE: limit(10, 100),
    /** Largest request body. */
    MAX_BODY_BYTES: limit(1_000_000, 100_000_000),
    SUPERGRAPH_PATH: z.string().default(defaultSupergraphPath),
    /** The web app's production build, served at `/` beside `/graphql`; no `index.html` there, no app. */
    WEB_APP_DIR: z.string().default(path.join(repoRoot, 'web', 'dist')),
    /** Origins the web app streams video from (the chunk servers as browsers reach them), allowed by its CSP. */
    WEB_APP_MEDIA_ORIGINS: originList.default([]),
    /**
     * Longest wait for a whole subgraph fetch, hedges and retries included. Long on purpose: a subgraph that is slow
     * because it is busy is still answering, and giving up would only throw its work away and answer partially; a
     * hung replica is dealt with by hedging and ejection long before (README, "How the router uses subgraph replicas").
     */
    SUBGRAPH_TIMEOUT_MS: milliseconds(30_000),
    /** Active health checks: how often each replica's health endpoint is probed, how long a probe may take, where. */
    SUBGRAPH_HEALTH_INTERVAL_MS: milliseconds(2_000, 10),
    SUBGRAPH_HEALTH_TIMEOUT_MS: milliseconds(1_000),
    SUBGRAPH_HEALTH_PATH: z.string().startsWith('/').default('/health'),
    /** Passive ejection: consecutive timeouts, resets or 5xx that eject a replica (a refused connection ejects at once). */
    SUBGRAPH_EJECT_AFTER_FAILURES: z.coerce.number().int().min(1).max(100).default(3),
    /** First ejection; it doubles while the replica keeps failing its probes, up to the maximum. */
    SUBGRAPH_EJECT_BASE_MS: milliseconds(1_000),
    SUBGRAPH_EJECT_MAX_MS: milliseconds(30_000),
    /** Retries allowed per request (0.1: at most about 10% extra traffic), plus a floor per second. */
    SUBGRAPH_RETRY_BUDGET_RATIO: z.coerce.number().min(0).max(1).default(0.1),
    SUBGRAPH_RETRY_MIN_PER_SECOND: z.coerce.number().min(0).max(1_000).default(10),
    /** Hedged queries: a query still unanswered after the percentile of its subgraph's recent latency goes to a second replica too. */
    SUBGRAPH_HEDGE: envFlag.default(true),
    SUBGRAPH_HEDGE_PERCENTILE: z.coerce.number().min(50).max(99.9).default(95),
    /** Bounds of the hedge delay; the maximum also applies until the subgraph has answered enough requests to measure. */
    SUBGRAPH_HEDGE_MIN_DELAY_MS: milliseconds(20),
    SUBGRAPH_HEDGE_MAX_DELAY_MS: milliseconds(1_000),
    /** Identical queries of the same caller in flight to a subgraph at once are sent once and share the answer. */
    SUBGRAPH_MERGE_IN_FLIGHT: envFlag.default(true),
    /** How often `dns://` replica names are resolved again. */
    SUBGRAPH_DNS_REFRESH_MS: milliseconds(5_000, 100),
    /** Most keep-alive connections the router opens to one replica. */
    SUBGRAPH_CONNECTIONS_PER_REPLICA: z.coerce.number().int().min(1).max(10_000).default(128),
    /**
     * Large subgraph requests (a body of at least SUBGRAPH_HEAVY_REQUEST_BYTES, e.g. an `_entities` fetch of thousands
     * of representations) one replica is sent at once; more wait in the router. 0 sends every request at once.
     */
    SUBGRAPH_HEAVY_REQUESTS_PER_REPLICA: z.coerce.number().int().min(0).max(10_000).default(DEFAULT_HEAVY_REQUEST_LIMIT.perReplica),
    SUBGRAPH_HEAVY_REQUEST_BYTES: z.coerce.number().int().min(1).max(100_000_000).default(DEFAULT_HEAVY_REQUEST_LIMIT.minBytes),
    /** Redis shared by router instances for the response cache and its invalidation index; unset, an in-process cache. */
    REDIS_URL: z.string().url({ message: 'REDIS_URL must be a redis:// URL' }).optional(),
    /** Prefix of every Redis key the router writes, so several platforms (or test runs) can share one Redis. */
    CACHE_KEY_PREFIX: z.string().max(100).default('cinema:'),
    /** The response cache; off, every request is answered by the subgraphs (`x-cache: BYPASS`). */
    RESPONSE_CACHE: envFlag.default(true),
    /**
     * Apollo's own usage telemetry from `@apollo/gateway` (cloud metadata probes and an hourly export to Apollo's
     * servers). Off unless an operator opts in: nothing leaves the platform that was not configured (README,
     * "Security").
     */
    APOLLO_TELEMETRY: envFlag.default(false),
    /** Upper bound on a cached response's lifetime, whatever the subgraphs' cache hints allow. */
    RESPONSE_CACHE_MAX_TTL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
    /** Responses kept in process: the whole cache without REDIS_URL, recently used entries in front of Redis with it. */
    RESPONSE_CACHE_MEMORY_ENTRIES: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
    /** Larger responses are served but not cached. */
    RESPONSE_CACHE_MAX_BODY_BYTES: z.coerce.number().int().min(1).max(100_000_000).default(1_000_000),
    /** Longest wait for one Redis command before the request goes on without the cache. */
    REDIS_COMMAND_TIMEOUT_MS: z.coerce.number().int().min(1).max(10_000).default(100),
  })
  .superRefine((config, ctx) => {
    if (config.NODE_ENV === 'production' && !config.JWT_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'JWT_SECRET is required when NODE_ENV=production (the development default is refused)' });
    }
    if (config.SUBGRAPH_HEDGE_MAX_DELAY_MS < config.SUBGRAPH_HEDGE_MIN_DELAY_MS) {
      ctx.addIssue({
        code: 'custom',
        path: ['SUBGRAPH_HEDGE_MAX_DELAY_MS'],
        message: 'SUBGRAPH_HEDGE_MAX_DELAY_MS must not be below SUBGRAPH_HEDGE_MIN_DELAY_MS',
      });
    }
    if (config.SUBGRAPH_EJECT_MAX_MS < config.SUBGRAPH_EJECT_BASE_MS) {
      ctx.addIssue({ code: 'custom', path: ['SUBGRAPH_EJECT_MAX_MS'], message: 'SUBGRAPH_EJECT_MAX_MS must not be below SUBGRAPH_EJECT_BASE_MS' });
    }
  })
  .transform(resolveSubgraphSecret)
  .transform((config) => ({
    ...config,
    jwtSecret: config.JWT_SECRET ?? DEVELOPMENT_JWT_SECRET,
    introspection: config.INTROSPECTION ?? config.NODE_ENV !== 'production',
    queryLimits: {
      maxDepth: config.MAX_QUERY_DEPTH,
      maxAliases: config.MAX_QUERY_ALIASES,
      maxTokens: config.MAX_QUERY_TOKENS,
      maxCost: config.MAX_QUERY_COST,
      assumedListSize: config.ASSUMED_LIST_SIZE,
    } satisfies QueryLimits,
    balancing: {
      healthCheck: { intervalMs: config.SUBGRAPH_HEALTH_INTERVAL_MS, timeoutMs: config.SUBGRAPH_HEALTH_TIMEOUT_MS, path: config.SUBGRAPH_HEALTH_PATH },
      ejection: {
        consecutiveFailures: config.SUBGRAPH_EJECT_AFTER_FAILURES,
        baseEjectionMs: config.SUBGRAPH_EJECT_BASE_MS,
        maxEjectionMs: config.SUBGRAPH_EJECT_MAX_MS,
      },
      retryBudget: { ratio: config.SUBGRAPH_RETRY_BUDGET_RATIO, minPerSecond: config.SUBGRAPH_RETRY_MIN_PER_SECOND },
      dnsRefreshMs: config.SUBGRAPH_DNS_REFRESH_MS,
      connectionsPerReplica: config.SUBGRAPH_CONNECTIONS_PER_REPLICA,
      heavyRequests: { perReplica: config.SUBGRAPH_HEAVY_REQUESTS_PER_REPLICA, minBytes: config.SUBGRAPH_HEAVY_REQUEST_BYTES },
      hedge: {
        enabled: config.SUBGRAPH_HEDGE,
        quantile: config.SUBGRAPH_HEDGE_PERCENTILE / 100,
        minDelayMs: config.SUBGRAPH_HEDGE_MIN_DELAY_MS,
        maxDelayMs: config.SUBGRAPH_HEDGE_MAX_DELAY_MS,
      },
      mergeInFlight: config.SUBGRAPH_MERGE_IN_FLIGHT,
    } satisfies UpstreamPolicy,
  }));

/**
 * Settings of each subgraph the supergraph names (its `join__Graph` values), read from variables named after it:
 * - `SUBGRAPH_<NAME>_URLS`: the subgraph's replicas, comma-separated: `http://host:port/graphql` each, or
 *   `dns://name:port/graphql` for every A/AAAA record of `name`, re-resolved periodically. Unset means the
 *   supergraph's routing URL.
 * - `SUBGRAPH_<NAME>_TIMEOUT_MS`: the subgraph's attempt timeout, overriding SUBGRAPH_TIMEOUT_MS.
 * A `SUBGRAPH_<NAME>_URLS` naming no subgraph of the supergraph is refused: it is a typo that would otherwise leave
 * the subgraph on its routing URL.
 */
function subgraphSettingsSchema(subgraphs: readonly string[]) {
  const known = new Set(subgraphs.map((name) => `SUBGRAPH_${subgraphEnvName(name)}_URLS`));
  const shape: Record<string, z.ZodType> = {};
  for (const name of subgraphs) {
    shape[`SUBGRAPH_${subgraphEnvName(name)}_URLS`] = replicaList.optional();
    shape[`SUBGRAPH_${subgraphEnvName(name)}_TIMEOUT_MS`] = timeoutOverride;
  }
  return z
    .object(shape)
    .loose()
    .superRefine((env, ctx) => {
      for (const key of Object.keys(env)) {
        if (/^SUBGRAPH_[A-Z0-9_]+_URLS$/.test(key) && !known.has(key)) {
          ctx.addIssue({ code: 'custom', path: [key], message: `no subgraph of the supergraph is called that (subgraphs: ${subgraphs.join(', ')})` });
        }
      }
    })
    .transform((env) => ({
      subgraphUrls: Object.fromEntries(subgraphs.map((name) => [name, env[`SUBGRAPH_${subgraphEnvName(name)}_URLS`] as string[] | undefined])),
      subgraphTimeoutsMs: Object.fromEntries(subgraphs.map((name) => [name, env[`SUBGRAPH_${subgraphEnvName(name)}_TIMEOUT_MS`] as number | undefined])),
    }));
}

/** The subgraph names of the supergraph at `supergraphPath`; an unreadable file is a configuration error. */
function readSubgraphNames(supergraphPath: string): string[] {
  try {
    return supergraphSubgraphNames(readFileSync(supergraphPath, 'utf8'));
  } catch (error) {
    throw new ConfigError([`SUPERGRAPH_PATH: cannot read the subgraphs of ${supergraphPath}: ${error instanceof Error ? error.message : String(error)}`]);
  }
}

/** Where a subgraph's replicas are: its configured list, else the supergraph's routing URL. */
export function replicaSourcesFor(config: RouterConfig, subgraph: string, routingUrl: string | undefined): ReplicaSource[] {
  const entries = config.subgraphUrls[subgraph] ?? (routingUrl ? [routingUrl] : []);
  if (entries.length === 0) throw new Error(`No URL for subgraph "${subgraph}": set SUBGRAPH_${subgraph.toUpperCase()}_URLS`);
  return entries.map(parseReplicaSource);
}

/** The fetch deadline of one subgraph. */
export function subgraphTimeoutMs(config: RouterConfig, subgraph: string): number {
  return config.subgraphTimeoutsMs[subgraph] ?? config.SUBGRAPH_TIMEOUT_MS;
}

export type RouterConfig = z.output<typeof routerConfigSchema> & z.output<ReturnType<typeof subgraphSettingsSchema>>;

/** Reads the router's settings once; see README "Configuration". Every bad variable is reported, not only the first. */
export function loadRouterConfig(env: NodeJS.ProcessEnv = process.env): RouterConfig {
  const issues: string[] = [];
  const attempt = <T>(load: () => T): T | undefined => {
    try {
      return load();
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      issues.push(...error.issues);
      return undefined;
    }
  };
  const base = attempt(() => parseConfig(routerConfigSchema, env));
  const subgraphs = attempt(() => parseConfig(subgraphSettingsSchema(readSubgraphNames(env.SUPERGRAPH_PATH || defaultSupergraphPath)), env));
  if (!base || !subgraphs) throw new ConfigError(issues);
  return Object.freeze({ ...base, ...subgraphs });
}
