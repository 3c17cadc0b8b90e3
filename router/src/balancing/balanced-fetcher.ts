import type { RemoteGraphQLDataSource } from '@apollo/gateway';
import type { Logger } from '@cinema/kit';
import { BufferedResponse } from './buffered-response.js';
import { classifyTransportError, type RequestFailureKind } from './failure-kind.js';
import type { OutlierDetector } from './outlier-detector.js';
import { pickReplica } from './pick-replica.js';
import { isReadOnlyRequest } from './read-only-request.js';
import type { Replica } from './replica.js';
import type { RetryBudget } from './retry-budget.js';
import { sendToReplica } from './send-to-replica.js';
import { SubgraphErrorCode, subgraphError } from './subgraph-errors.js';

/** The `fetch` the gateway's data source calls; see `RemoteGraphQLDataSource`'s `fetcher` option. */
export type Fetcher = RemoteGraphQLDataSource['fetcher'];
type FetcherInit = Parameters<Fetcher>[1];

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

export interface BalancedFetcherOptions {
  subgraph: string;
  replicas: () => readonly Replica[];
  detector: OutlierDetector;
  budget: RetryBudget;
  /** Longest wait for one attempt; a retried query may take two. */
  timeoutMs: number;
  logger: Logger;
  /** Counts a retry the budget refused. */
  onRetryDenied?: () => void;
  /**
   * Signs each attempt separately, just before it is sent: the signature covers the replica's path and the exact
   * body, and a retry gets a fresh nonce, so a replica never sees a nonce twice.
   */
  signRequest?: RequestSigner;
}

type Attempt = { ok: true; response: BufferedResponse } | { ok: false; kind: RequestFailureKind; response?: BufferedResponse };

/**
 * Sends the gateway's subgraph requests across a subgraph's replicas: picks one (power of two choices), bounds the
 * attempt by the subgraph's timeout, and when it fails retries once on a different replica if that is safe and the
 * retry budget allows. Queries are retried on any failure. Mutations are retried only when the connection was
 * refused, because any later failure may come after the replica ran the write. With no healthy replica left the
 * request fails at once with `SUBGRAPH_UNAVAILABLE`, so the gateway answers with what the other subgraphs gave.
 *
 * The URL the data source passes is ignored: the replica decides where the request goes.
 */
export class BalancedFetcher {
  constructor(private readonly options: BalancedFetcherOptions) {}

  readonly fetch: Fetcher = async (_url, init) => this.send(init ?? {});

  private async send(init: FetcherInit & object): Promise<BufferedResponse> {
    const { budget, replicas, subgraph } = this.options;
    budget.deposit();
    const members = replicas();
    const first = pickReplica(members, { now: performance.now() });
    if (!first) {
      const detail = members.length === 0 ? 'has no replicas yet' : `has all ${members.length} replicas ejected as down`;
      throw subgraphError(SubgraphErrorCode.SUBGRAPH_UNAVAILABLE, subgraph, `is unavailable: it ${detail}`);
    }
    const firstAttempt = await this.attempt(first, init);
    if (firstAttempt.ok) return firstAttempt.response;

    const safeToRepeat = firstAttempt.kind === 'refused' || isReadOnlyRequest(init.body);
    const second = safeToRepeat ? pickReplica(replicas(), { now: performance.now(), exclude: first }) : undefined;
    if (!second) return this.failWith(firstAttempt);
    if (!budget.tryWithdraw()) {
      this.options.onRetryDenied?.();
      return this.failWith(firstAttempt);
    }
    second.retries += 1;
    const secondAttempt = await this.attempt(second, init);
    return secondAttempt.ok ? secondAttempt.response : this.failWith(secondAttempt);
  }

  private async attempt(replica: Replica, init: FetcherInit & object): Promise<Attempt> {
    const { detector, timeoutMs } = this.options;
    replica.inFlight += 1;
    replica.requests += 1;
    const started = performance.now();
    let outcome: Attempt;
    try {
      const request: ReplicaAttemptRequest = { path: replica.path, method: init.method === 'GET' ? 'GET' : 'POST', headers: init.headers ?? {}, body: init.body ?? null };
      const headers = this.options.signRequest?.(request) ?? request.headers;
      const answer = await sendToReplica(replica.pool, { ...request, headers }, timeoutMs);
      const response = new BufferedResponse(replica.url, answer.statusCode, answer.headers, answer.body);
      outcome = answer.statusCode >= 500 ? { ok: false, kind: 'status', response } : { ok: true, response };
    } catch (error) {
      outcome = { ok: false, kind: classifyTransportError(error) };
      if (outcome.kind !== 'timeout') this.options.logger.debug({ err: error, replica: replica.url }, 'subgraph attempt failed');
    } finally {
      replica.inFlight -= 1;
    }
    const finished = performance.now();
    // A refused connection says nothing about how fast the replica answers; a timeout says it is at least this slow.
    if (outcome.ok || outcome.kind !== 'refused') replica.recordLatency(finished - started, finished);
    if (outcome.ok) {
      detector.succeeded(replica);
    } else {
      replica.recordFailure(outcome.kind);
      detector.failed(replica, outcome.kind);
    }
    return outcome;
  }

  /** A 5xx answer goes back to the data source, which reports it as usual; a transport failure becomes our error. */
  private failWith(attempt: Attempt & { ok: false }): BufferedResponse {
    if (attempt.response) return attempt.response;
    const { subgraph, timeoutMs } = this.options;
    switch (attempt.kind) {
      case 'timeout':
        throw subgraphError(SubgraphErrorCode.SUBGRAPH_TIMEOUT, subgraph, `did not answer within ${timeoutMs} ms`);
      case 'refused':
        throw subgraphError(SubgraphErrorCode.SUBGRAPH_UNAVAILABLE, subgraph, 'is unavailable: no replica accepted the connection');
      default:
        throw subgraphError(SubgraphErrorCode.SUBGRAPH_REQUEST_FAILED, subgraph, 'request failed: the connection broke before the answer was complete');
    }
  }
}
