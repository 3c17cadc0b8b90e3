import { Pool } from 'undici';
import { REQUEST_FAILURE_KINDS, type FailureKind, type RequestFailureKind } from './failure-kind.js';
import { DEFAULT_HEAVY_REQUEST_LIMIT, HeavyRequestGate, type HeavyRequestLimit } from './heavy-request-gate.js';

/** Whether the balancer sends traffic to a replica. */
export type ReplicaState = 'healthy' | 'ejected';

/** One replica as `/health` shows it. */
export interface ReplicaSnapshot {
  url: string;
  state: ReplicaState;
  inFlight: number;
  /** Attempts sent, retries included. */
  requests: number;
  failures: number;
  /** Attempts that were a retry of a request another replica failed. */
  retries: number;
  /** Attempts that hedged a request another replica was slow to answer. */
  hedges: number;
  /** Smoothed latency of recent attempts, null before the first one. */
  latencyMs: number | null;
  /** Times ejected since it last stayed healthy for a while; drives the backoff. */
  ejections: number;
  /** Present while ejected: time left before the next probe may readmit it. */
  ejectedForMs?: number;
}

export interface ReplicaOptions {
  /** Upper bound on keep-alive connections to this replica. */
  connections: number;
  /** Called with each attempt's duration in seconds, for the latency histogram. */
  observeLatency?: (seconds: number) => void;
  /** How many large requests it is sent at once; {@link DEFAULT_HEAVY_REQUEST_LIMIT} when left out. */
  heavyRequests?: HeavyRequestLimit;
}

/** Weight of the newest sample in the latency average: recent enough to notice a slowdown within a few requests. */
const LATENCY_SMOOTHING = 0.2;

/**
 * Answers left out of the latency average after a replica starts or comes back: its first requests pay for new
 * connections, cold caches and unoptimised code, and would otherwise brand a healthy replica as slow.
 */
export const LATENCY_WARMUP_SAMPLES = 3;

/**
 * One subgraph replica: its own keep-alive connection pool, its load (requests in flight) and its record (latency,
 * failures, ejections). The picker, the outlier detector and the health checker all read and write this state, so
 * it lives in one place; the rules that change it live in their own modules.
 */
export class Replica {
  readonly url: string;
  /** Scheme, host and port, e.g. `http://10.0.0.7:4001`. */
  readonly origin: string;
  /** Path of the GraphQL endpoint, e.g. `/graphql`. */
  readonly path: string;
  /** Its heavy requests in flight and waiting: a replica is sent only a few large fetches at once. */
  readonly gate: HeavyRequestGate;
  state: ReplicaState = 'healthy';
  inFlight = 0;
  requests = 0;
  failures = 0;
  retries = 0;
  hedges = 0;
  readonly failuresByKind = Object.fromEntries(REQUEST_FAILURE_KINDS.map((kind) => [kind, 0])) as Record<RequestFailureKind, number>;
  /** Exponentially weighted latency in ms; 0 until the first sample. */
  latencyMs = 0;
  /** `performance.now()` of the last latency sample. */
  latencySampledAt = Number.NEGATIVE_INFINITY;
  private warmupSamples = LATENCY_WARMUP_SAMPLES;
  consecutiveFailures = 0;
  /** Ejections since the replica last stayed healthy for a while; drives the backoff. */
  ejections = 0;
  /** Every ejection ever, for metrics. */
  ejectionsTotal = 0;
  /** `performance.now()` before which an ejected replica is not probed. */
  ejectedUntil = 0;
  /** Why it was last ejected: proof that it is down (`refused`, `unhealthy`) or only suspicion (slow, reset, 5xx). */
  ejectedFor: FailureKind | undefined;
  /** `performance.now()` of the last admission; a long healthy stretch forgives earlier ejections. */
  healthySince: number;
  private readonly observeLatency: ((seconds: number) => void) | undefined;
  private readonly connections: number;
  private currentPool: Pool;
  private closed = false;

  constructor(url: string, options: ReplicaOptions, now = performance.now()) {
    const parsed = new URL(url);
    this.url = url;
    this.origin = parsed.origin;
    this.path = `${parsed.pathname}${parsed.search}`;
    this.healthySince = now;
    this.observeLatency = options.observeLatency;
    this.connections = options.connections;
    this.gate = new HeavyRequestGate(options.heavyRequests ?? DEFAULT_HEAVY_REQUEST_LIMIT);
    this.currentPool = this.createPool();
  }

  /** Keep-alive connections to this replica, for requests. */
  get pool(): Pool {
    return this.currentPool;
  }

  /**
   * Lets go of this replica's keep-alive connections once the requests on them finish; later requests open new ones.
   * Done on ejection: a draining replica keeps serving requests on connections it already has, so holding them
   * would keep it from finishing its shutdown.
   */
  recycleConnections(): void {
    if (this.closed) return;
    const old = this.currentPool;
    this.currentPool = this.createPool();
    void old.close();
  }

  /** Folds an attempt's duration into the latency average the picker compares (after the warm-up answers). */
  recordLatency(ms: number, now: number): void {
    this.observeLatency?.(ms / 1000);
    if (this.warmupSamples > 0) {
      this.warmupSamples -= 1;
      return;
    }
    this.latencyMs = this.latencyMs === 0 ? ms : this.latencyMs + LATENCY_SMOOTHING * (ms - this.latencyMs);
    this.latencySampledAt = now;
  }

  /** Starts the latency record afresh, for a replica readmitted after an ejection. */
  forgetLatency(): void {
    this.latencyMs = 0;
    this.latencySampledAt = Number.NEGATIVE_INFINITY;
    this.warmupSamples = LATENCY_WARMUP_SAMPLES;
  }

  recordFailure(kind: RequestFailureKind): void {
    this.failures += 1;
    this.failuresByKind[kind] += 1;
  }

  snapshot(now = performance.now()): ReplicaSnapshot {
    return {
      url: this.url,
      state: this.state,
      inFlight: this.inFlight,
      requests: this.requests,
      failures: this.failures,
      retries: this.retries,
      hedges: this.hedges,
      latencyMs: this.latencyMs === 0 ? null : Math.round(this.latencyMs * 10) / 10,
      ejections: this.ejections,
      ...(this.state === 'ejected' ? { ejectedForMs: Math.max(0, Math.round(this.ejectedUntil - now)) } : {}),
    };
  }

  /** Closes the pool once requests already sent have finished, so retiring a replica never cuts one off. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.currentPool.close();
  }

  private createPool(): Pool {
    // Subgraphs keep connections open for 65 s and say so in `Keep-Alive`, which undici honours.
    return new Pool(this.origin, { connections: this.connections, pipelining: 1 });
  }
}
