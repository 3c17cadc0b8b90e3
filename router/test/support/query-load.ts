import { setTimeout as sleep } from 'node:timers/promises';

/** One GraphQL answer as the load sees it. */
export interface LoadResponse {
  status: number;
  body: { data?: any; errors?: { message: string; extensions?: { code?: string; serviceName?: string } }[] };
}

export interface QueryLoadOptions {
  url: string;
  query: string;
  /** Variables for the n-th request, so requests do not all hit the same cached rows. */
  variables: (n: number) => Record<string, unknown>;
  /** Requests in flight at any time (closed loop: each loop sends its next request when the last one is answered). */
  concurrency: number;
  /** Keep going until at least this many requests are answered (and `scenario`, if any, has finished). */
  minRequests: number;
  /** Hard stop, so a broken router cannot make a test run forever. */
  maxDurationMs: number;
  /** Why a response counts as failed, or undefined when it is what the test expects. */
  check: (response: LoadResponse) => string | undefined;
  /** Runs beside the load (the fault being injected); the load ends only after it settles. */
  scenario?: (progress: LoadProgress) => Promise<void>;
  /** A client-side limit per request: a hang counts as a failure, never as a stuck test. */
  requestTimeoutMs?: number;
}

export interface LoadProgress {
  /** Resolves once `count` requests have been answered in total. */
  untilAnswered(count: number): Promise<void>;
}

export interface LoadReport {
  requests: number;
  failures: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  durationMs: number;
  /** The first few failure reasons, for the assertion message. */
  failureSamples: string[];
}

/**
 * A bounded, steady stream of queries: `concurrency` loops, at least `minRequests` requests and never longer than
 * `maxDurationMs`. It records each request's latency and whether the answer passed `check`.
 */
export async function runQueryLoad(options: QueryLoadOptions): Promise<LoadReport> {
  const latencies: number[] = [];
  const failureSamples: string[] = [];
  let failures = 0;
  let sent = 0;
  let scenarioDone = options.scenario === undefined;
  // Boxed, so that a scenario rejecting with a falsy value still counts as a failure.
  let scenarioFailure: { error: unknown } | undefined;
  const started = performance.now();
  const deadline = started + options.maxDurationMs;
  const progress: LoadProgress = {
    async untilAnswered(count) {
      while (latencies.length < count && performance.now() < deadline) await sleep(5);
    },
  };
  const scenario = options.scenario?.(progress).then(
    () => (scenarioDone = true),
    (error: unknown) => {
      scenarioFailure = { error };
      scenarioDone = true;
    },
  );

  const one = async (n: number): Promise<void> => {
    const sentAt = performance.now();
    let reason: string | undefined;
    try {
      const response = await fetch(options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: options.query, variables: options.variables(n) }),
        signal: AbortSignal.timeout(options.requestTimeoutMs ?? 15_000),
      });
      reason = options.check({ status: response.status, body: (await response.json()) as LoadResponse['body'] });
    } catch (error) {
      reason = `transport: ${error instanceof Error ? error.message : String(error)}`;
    }
    latencies.push(performance.now() - sentAt);
    if (reason === undefined) return;
    failures += 1;
    if (failureSamples.length < 5) failureSamples.push(`#${n}: ${reason}`);
  };
  const loop = async (): Promise<void> => {
    while (performance.now() < deadline && !(scenarioDone && sent >= options.minRequests)) await one(sent++);
  };
  await Promise.all(Array.from({ length: options.concurrency }, loop));
  await scenario;
  if (scenarioFailure) throw scenarioFailure.error;

  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
  return {
    requests: latencies.length,
    failures,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    maxMs: sorted.at(-1) ?? 0,
    durationMs: performance.now() - started,
    failureSamples,
  };
}

/** One line per test, as CI logs show it. */
export function describeLoad(label: string, report: LoadReport): string {
  const ms = (value: number) => `${value.toFixed(1)} ms`;
  return `[${label}] ${report.requests} requests in ${(report.durationMs / 1000).toFixed(1)} s, ${report.failures} failed, p50 ${ms(report.p50Ms)}, p99 ${ms(report.p99Ms)}, max ${ms(report.maxMs)}`;
}
