import type { RemoteGraphQLDataSource } from '@apollo/gateway';
import type { Logger } from '@cinema/kit/logging';
import { BufferedResponse } from './buffered-response.js';
import { classifyTransportError, type RequestFailureKind } from './failure-kind.js';
import type { GatedCall } from './heavy-request-gate.js';
import { hedgeDelayMs, type HedgePolicy } from './hedge-policy.js';
import { LatencyQuantile } from './latency-quantile.js';
import type { OutlierDetector } from './outlier-detector.js';
import { pickReplica, pickSuspected } from './pick-replica.js';
import { isReadOnlyRequest } from './read-only-request.js';
import type { Replica } from './replica.js';
import type { RetryBudget } from './retry-budget.js';
import { AttemptTimeoutError, callReplica, type ReplicaCall, type ReplicaRequest } from './send-to-replica.js';
import { SubgraphErrorCode, subgraphError } from './subgraph-errors.js';

/** The `fetch` the gateway's data source calls; see `RemoteGraphQLDataSource`'s `fetcher` option. */
export type Fetcher = RemoteGraphQLDataSource['fetcher'];

/** One attempt's request as it will be sent to a replica. */
export interface ReplicaAttemptRequest {
  method: 'GET' | 'POST';
  /** The replica's own path. */
  path: string;
  headers: Record<string, string>;
  body: string | Buffer | null;
}

/** Returns the headers to send with an attempt, e.g. with the router's signature added for that replica and body. */
export type RequestSigner = (request: ReplicaAttemptRequest) => Record<string, string>;

/** A subgraph request as the data source hands it over, its body final. */
export interface SubgraphRequest {
  body: string;
  headers: Record<string, string>;
  /** A query, which may be hedged and retried after any failure; anything else is repeated only when refused. */
  readOnly: boolean;
  method?: 'GET' | 'POST';
}

/** A subgraph request on its way: its answer, and a way to give up on it (every attempt still running is aborted). */
export interface SubgraphCall {
  readonly answer: Promise<BufferedResponse>;
  abort(reason: Error): void;
}

export interface BalancedFetcherOptions {
  subgraph: string;
  replicas: () => readonly Replica[];
  detector: OutlierDetector;
  budget: RetryBudget;
  /** Longest wait for a whole fetch, every attempt included: past it the fetch fails with `SUBGRAPH_TIMEOUT`. */
  timeoutMs: number;
  hedge: HedgePolicy;
  logger: Logger;
  /** Counts a retry the budget refused. */
  onRetryDenied?: () => void;
  /** Counts a hedge the budget refused. */
  onHedgeDenied?: () => void;
  /**
   * Signs each attempt separately, just before it is sent: the signature covers the replica's path and the exact
   * body, and a second attempt gets a fresh nonce, so a replica never sees a nonce twice.
   */
  signRequest?: RequestSigner;
  /** Sends one attempt; undici by default, replaced in unit tests. */
  call?: (replica: Replica, request: ReplicaRequest) => ReplicaCall;
  /** Randomness of the replica picks, replaced in unit tests. */
  random?: () => number;
}

/** The error an attempt is aborted with when the other attempt of its fetch answered first. */
export class OutrunError extends Error {
  readonly code = 'OUTRUN';
  constructor() {
    super('another attempt answered first');
    this.name = 'OutrunError';
  }
}

/**
 * Sends the gateway's subgraph requests across a subgraph's replicas, at most two attempts per request on two
 * different replicas:
 *
 * - The first goes to a replica picked by power of two choices.
 * - A query still unanswered after the hedge delay (a high percentile of the subgraph's recent latency) is sent
 *   again to another replica if the retry budget allows; the first answer wins and the other attempt is aborted.
 *   The attempt that was outrun counts as a timeout against its replica, so a hung replica is ejected after a few
 *   requests while clients only wait the hedge delay.
 * - An attempt that fails (reset, 5xx, refused) is retried at once on another replica within the budget: queries on
 *   any failure, mutations only when the connection was refused, since any later failure may come after the write.
 * - The whole fetch is bounded by the subgraph's timeout, long by default: a slow but healthy subgraph is not a
 *   failure, it is what hedging and ejection are for.
 *
 * With no healthy replica the request fails at once with `SUBGRAPH_UNAVAILABLE`, so the gateway answers with what
 * the other subgraphs gave. An aborted attempt closes its connection, which the subgraph takes as the signal to
 * cancel the request's SQL.
 */
export class BalancedFetcher {
  /** Recent latency of the subgraph's successful attempts, for the hedge delay. */
  readonly latency: LatencyQuantile;
  readonly call: (replica: Replica, request: ReplicaRequest) => ReplicaCall;

  constructor(readonly options: BalancedFetcherOptions) {
    this.latency = new LatencyQuantile(options.hedge.quantile);
    this.call = options.call ?? ((replica, request) => callReplica(replica.pool, request));
  }

  /** The `fetch` shape, for callers that speak it; the URL is ignored: the replica decides where the request goes. */
  readonly fetch: Fetcher = async (_url, init) => {
    const body = typeof init?.body === 'string' ? init.body : '';
    return this.start({ body, headers: init?.headers ?? {}, readOnly: isReadOnlyRequest(body), method: init?.method === 'GET' ? 'GET' : 'POST' }).answer;
  };

  /** Starts a request; see the class comment for what happens to it. */
  start(request: SubgraphRequest): SubgraphCall {
    const { budget, replicas, subgraph } = this.options;
    budget.deposit();
    const members = replicas();
    // No healthy replica: one only suspected (slow, reset) beats a certain failure; one proven down never does.
    const first = pickReplica(members, { now: performance.now(), ...(this.options.random ? { random: this.options.random } : {}) }) ?? pickSuspected(members);
    if (!first) {
      const detail = members.length === 0 ? 'has no replicas yet' : `has all ${members.length} replicas ejected as down`;
      return { answer: Promise.reject(subgraphError(SubgraphErrorCode.SUBGRAPH_UNAVAILABLE, subgraph, `is unavailable: it ${detail}`)), abort: () => {} };
    }
    const race = new FetchRace(this, request);
    race.begin(first, members.length > 1);
    return race;
  }

  /** The current hedge delay. */
  hedgeDelayMs(): number {
    return hedgeDelayMs(this.latency.value(), this.options.hedge);
  }

  pickOther(exclude: Replica): Replica | undefined {
    return pickReplica(this.options.replicas(), { now: performance.now(), exclude, ...(this.options.random ? { random: this.options.random } : {}) });
  }
}

interface RunningAttempt {
  replica: Replica;
  call: GatedCall;
  started: number;
  done: boolean;
}

type Failure = { kind: RequestFailureKind; response?: BufferedResponse };

/** One request's attempts, timers and outcome. */
class FetchRace implements SubgraphCall {
  readonly answer: Promise<BufferedResponse>;
  private resolve!: (response: BufferedResponse) => void;
  private reject!: (error: unknown) => void;
  private readonly attempts: RunningAttempt[] = [];
  private settled = false;
  private hedgeTimer: NodeJS.Timeout | undefined;
  private deadlineTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly fetcher: BalancedFetcher,
    private readonly request: SubgraphRequest,
  ) {
    this.answer = new Promise<BufferedResponse>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }

  begin(first: Replica, mayHedge: boolean): void {
    const { timeoutMs, hedge } = this.fetcher.options;
    this.launch(first, 'first');
    if (this.settled) return;
    this.deadlineTimer = setTimeout(() => this.expire(), timeoutMs);
    if (mayHedge && this.request.readOnly && hedge.enabled) {
      const delay = this.fetcher.hedgeDelayMs();
      if (delay < timeoutMs) this.hedgeTimer = setTimeout(() => this.hedge(), delay);
    }
  }

  /** Gives up on the request (the client left): every running attempt is aborted, nothing counts against a replica. */
  abort(reason: Error): void {
    if (this.settled) return;
    this.settle();
    for (const attempt of this.attempts) this.stop(attempt, reason, false);
    this.reject(reason);
  }

  private launch(replica: Replica, kind: 'first' | 'hedge' | 'retry'): void {
    const { signRequest } = this.fetcher.options;
    replica.inFlight += 1;
    replica.requests += 1;
    if (kind === 'retry') replica.retries += 1;
    if (kind === 'hedge') replica.hedges += 1;
    const request: ReplicaRequest = { path: replica.path, method: this.request.method ?? 'POST', headers: this.request.headers, body: this.request.body };
    const attempt: RunningAttempt = { replica, call: undefined as never, started: performance.now(), done: false };
    this.attempts.push(attempt);
    // A heavy request may wait for its turn (see `HeavyRequestGate`); it is signed when it leaves, so the signature's
    // timestamp is as fresh as for any other. Its wait counts in its latency, as the subgraph's own queue would.
    attempt.call = replica.gate.run(replica.gate.isHeavy(request.body), (responding) => {
      if (signRequest) request.headers = signRequest({ path: replica.path, method: request.method, headers: this.request.headers, body: this.request.body });
      request.onResponseStart = responding;
      return this.fetcher.call(replica, request);
    });
    attempt.call.answer.then(
      (answer) => {
        if (attempt.done) return;
        const response = new BufferedResponse(replica.url, answer.statusCode, answer.headers, answer.body);
        if (answer.statusCode >= 500) this.failed(attempt, { kind: 'status', response });
        else this.succeeded(attempt, response);
      },
      (error: unknown) => {
        if (attempt.done) return;
        const kind = classifyTransportError(error);
        if (kind !== 'timeout') this.fetcher.options.logger.debug({ err: error, replica: replica.url }, 'subgraph attempt failed');
        this.failed(attempt, { kind });
      },
    );
  }

  private succeeded(attempt: RunningAttempt, response: BufferedResponse): void {
    const now = this.finish(attempt);
    const elapsed = now - attempt.started;
    attempt.replica.recordLatency(elapsed, now);
    this.fetcher.latency.record(elapsed);
    this.fetcher.options.detector.succeeded(attempt.replica);
    if (this.settled) return;
    this.settle();
    // The other attempt lost the race. If it started first, its replica was outrun by a later request: slow or hung.
    for (const other of this.attempts) if (other !== attempt) this.stop(other, new OutrunError(), other.started < attempt.started);
    this.resolve(response);
  }

  private failed(attempt: RunningAttempt, failure: Failure): void {
    const now = this.finish(attempt);
    const { replica } = attempt;
    // A refused connection says nothing about how fast the replica answers.
    if (failure.kind !== 'refused') replica.recordLatency(now - attempt.started, now);
    this.countFailure(replica, failure.kind);
    if (this.settled) return;
    // The other attempt is still running: its answer decides.
    if (this.attempts.some((other) => !other.done)) return;
    const safeToRepeat = failure.kind === 'refused' || this.request.readOnly;
    const second = safeToRepeat && this.attempts.length < 2 ? this.fetcher.pickOther(replica) : undefined;
    if (second) {
      if (this.fetcher.options.budget.tryWithdraw()) {
        clearTimeout(this.hedgeTimer);
        this.launch(second, 'retry');
        return;
      }
      this.fetcher.options.onRetryDenied?.();
    }
    this.settle();
    if (failure.response) this.resolve(failure.response);
    else this.reject(this.errorFor(failure.kind));
  }

  private hedge(): void {
    this.hedgeTimer = undefined;
    const [first] = this.attempts;
    if (this.settled || this.attempts.length >= 2 || !first) return;
    const second = this.fetcher.pickOther(first.replica);
    if (!second) return;
    if (!this.fetcher.options.budget.tryWithdraw()) {
      this.fetcher.options.onHedgeDenied?.();
      return;
    }
    this.launch(second, 'hedge');
  }

  private expire(): void {
    this.deadlineTimer = undefined;
    if (this.settled) return;
    this.settle();
    for (const attempt of this.attempts) this.stop(attempt, new AttemptTimeoutError(this.fetcher.options.timeoutMs), true);
    this.reject(this.errorFor('timeout'));
  }

  /** Aborts a running attempt; `blame` counts it as a timeout against its replica. */
  private stop(attempt: RunningAttempt, reason: Error, blame: boolean): void {
    if (attempt.done) return;
    // Still waiting in the router for a heavy slot: the replica never had it, so it is not to blame.
    const neverSent = attempt.call.waiting;
    attempt.call.abort(reason);
    const now = this.finish(attempt);
    if (!blame || neverSent) return;
    // At least this slow: the picker steers away from it at once, and consecutive ones eject it.
    attempt.replica.recordLatency(now - attempt.started, now);
    this.countFailure(attempt.replica, 'timeout');
  }

  private finish(attempt: RunningAttempt): number {
    attempt.done = true;
    attempt.replica.inFlight -= 1;
    return performance.now();
  }

  private countFailure(replica: Replica, kind: RequestFailureKind): void {
    replica.recordFailure(kind);
    this.fetcher.options.detector.failed(replica, kind);
  }

  private settle(): void {
    this.settled = true;
    clearTimeout(this.hedgeTimer);
    clearTimeout(this.deadlineTimer);
  }

  private errorFor(kind: RequestFailureKind): Error {
    const { subgraph, timeoutMs } = this.fetcher.options;
    switch (kind) {
      case 'timeout':
        return subgraphError(SubgraphErrorCode.SUBGRAPH_TIMEOUT, subgraph, `did not answer within ${timeoutMs} ms`);
      case 'refused':
        return subgraphError(SubgraphErrorCode.SUBGRAPH_UNAVAILABLE, subgraph, 'is unavailable: no replica accepted the connection');
      default:
        return subgraphError(SubgraphErrorCode.SUBGRAPH_REQUEST_FAILED, subgraph, 'request failed: the connection broke before the answer was complete');
    }
  }
}
