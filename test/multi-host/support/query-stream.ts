import { Agent, request } from 'undici';

/** One GraphQL request of the stream. */
export interface StreamRequest {
  query: string;
  variables?: Record<string, unknown>;
  headers?: Record<string, string>;
}

/** How one request ended. */
export interface StreamOutcome {
  /** `performance.now()` when it was sent. */
  startedAt: number;
  latencyMs: number;
  ok: boolean;
  /** Why it failed: HTTP status, error codes, or the transport error. */
  failure?: string;
}

export interface StreamFigures {
  requests: number;
  failures: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** The first few failures, for the assertion message. */
  sampleFailures: string[];
}

/** Latency percentile by nearest rank; 0 for no samples. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Figures of a set of outcomes. */
export function figuresOf(outcomes: readonly StreamOutcome[]): StreamFigures {
  const latencies = outcomes.map((outcome) => outcome.latencyMs).sort((a, b) => a - b);
  const failed = outcomes.filter((outcome) => !outcome.ok);
  return {
    requests: outcomes.length,
    failures: failed.length,
    p50Ms: Math.round(percentile(latencies, 50)),
    p99Ms: Math.round(percentile(latencies, 99)),
    maxMs: Math.round(latencies.at(-1) ?? 0),
    sampleFailures: failed.slice(0, 5).map((outcome) => outcome.failure ?? 'unknown'),
  };
}

/** A GraphQL client to the router through the lab's forwarder (a Unix socket), with keep-alive connections. */
export class LabGraphqlClient {
  readonly agent: Agent;

  constructor(
    socketPath: string,
    private readonly origin: string,
  ) {
    this.agent = new Agent({ connect: { socketPath }, connections: 32 });
  }

  /** Posts one operation; resolves with the HTTP status, headers and parsed body (never throws on a GraphQL error). */
  async post<T = any>(
    body: StreamRequest,
    timeoutMs = 15_000,
  ): Promise<{
    status: number;
    headers: Record<string, string | string[] | undefined>;
    body: { data?: T; errors?: { message: string; extensions?: { code?: string; serviceName?: string } }[] };
  }> {
    const response = await request(`${this.origin}/graphql`, {
      method: 'POST',
      dispatcher: this.agent,
      headers: { 'content-type': 'application/json', ...body.headers },
      body: JSON.stringify({ query: body.query, variables: body.variables }),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    const text = await response.body.text();
    let parsed: { data?: T; errors?: { message: string; extensions?: { code?: string; serviceName?: string } }[] };
    try {
      parsed = JSON.parse(text) as typeof parsed;
    } catch {
      parsed = { errors: [{ message: `not JSON: ${text.slice(0, 200)}` }] };
    }
    return { status: response.statusCode, headers: response.headers, body: parsed };
  }

  /** GET of a path on the same origin (the router's /health and /metrics). */
  async get(pathname: string): Promise<{ status: number; text: string }> {
    const response = await request(`${this.origin}${pathname}`, { dispatcher: this.agent, headersTimeout: 10_000, bodyTimeout: 10_000 });
    return { status: response.statusCode, text: await response.body.text() };
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}

/**
 * A steady query stream: `ratePerSecond` requests a second, sent on schedule whether or not earlier ones have
 * answered (an open loop, as independent clients behave, so a stalled request cannot slow the stream down and hide
 * its own latency), at most `maxInFlight` at once so a dead router cannot pile up unbounded work.
 */
export class QueryStream {
  readonly outcomes: StreamOutcome[] = [];
  private timer: NodeJS.Timeout | undefined;
  private inFlight = new Set<Promise<void>>();
  private sent = 0;
  private skipped = 0;

  constructor(
    private readonly client: LabGraphqlClient,
    private readonly next: (n: number) => StreamRequest,
    private readonly options: { ratePerSecond: number; maxInFlight: number; timeoutMs: number },
  ) {}

  start(): void {
    const interval = 1000 / this.options.ratePerSecond;
    const startedAt = performance.now();
    const tick = () => {
      const due = Math.floor((performance.now() - startedAt) / interval) + 1;
      while (this.sent + this.skipped < due) {
        if (this.inFlight.size >= this.options.maxInFlight) {
          // Counted as a failure: a client that cannot even send has been failed by the platform.
          this.skipped += 1;
          this.outcomes.push({
            startedAt: performance.now(),
            latencyMs: this.options.timeoutMs,
            ok: false,
            failure: 'stream saturated: too many requests in flight',
          });
          continue;
        }
        this.sent += 1;
        const job = this.sendOne(this.sent);
        this.inFlight.add(job);
        void job.finally(() => this.inFlight.delete(job));
      }
      this.timer = setTimeout(tick, Math.max(1, interval / 2));
    };
    tick();
  }

  /** Stops sending and waits for every request in flight. */
  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await Promise.all(this.inFlight);
  }

  /** Outcomes of requests sent at or after `since` (a `performance.now()` reading). */
  since(since: number): StreamOutcome[] {
    return this.outcomes.filter((outcome) => outcome.startedAt >= since);
  }

  private async sendOne(n: number): Promise<void> {
    const startedAt = performance.now();
    let ok = false;
    let failure: string | undefined;
    try {
      const response = await this.client.post(this.next(n), this.options.timeoutMs);
      const codes = (response.body.errors ?? []).map(
        (error) => `${error.extensions?.code ?? error.message}${error.extensions?.serviceName ? ` (${String(error.extensions.serviceName)})` : ''}`,
      );
      ok = response.status === 200 && codes.length === 0 && response.body.data !== undefined;
      if (!ok) failure = `HTTP ${response.status} ${codes.join(',')}`;
    } catch (error) {
      failure = `transport: ${(error as Error).message}`;
    }
    this.outcomes.push({ startedAt, latencyMs: performance.now() - startedAt, ok, ...(failure ? { failure } : {}) });
  }
}
