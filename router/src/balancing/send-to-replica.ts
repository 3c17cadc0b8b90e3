import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';

/** A replica's answer, read in full. */
export interface ReplicaAnswer {
  statusCode: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface ReplicaRequest {
  path: string;
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string | Buffer | null;
  /** Close the connection after this request (health probes: the next one must open a new connection). */
  reset?: boolean;
  /** Called once the status line arrives: the replica has done its work and is sending the answer. */
  onResponseStart?: () => void;
}

/** Raised when an attempt runs out of time; the request is aborted and its connection dropped. */
export class AttemptTimeoutError extends Error {
  readonly code = 'ATTEMPT_TIMEOUT';
  constructor(readonly timeoutMs: number) {
    super(`no complete answer within ${timeoutMs} ms`);
    this.name = 'AttemptTimeoutError';
  }
}

/** A request on its way to a replica: its whole answer, and a way to give up on it. */
export interface ReplicaCall {
  readonly answer: Promise<ReplicaAnswer>;
  /**
   * Gives up: the answer rejects with `reason` and the request is aborted, which closes its connection, so the
   * replica sees the close and can stop working on it (the subgraphs cancel the request's SQL). Idempotent.
   */
  abort(reason: Error): void;
}

/**
 * Sends one request over undici's low-level dispatch API and collects the whole answer. Dispatch with a plain abort
 * function costs far less per request than undici's `request()` with an `AbortSignal`, whose listener bookkeeping
 * alone added about half again to a local round trip; the subgraph fetch path runs this for every fetch of every query.
 */
export function callReplica(dispatcher: Dispatcher, request: ReplicaRequest): ReplicaCall {
  let controller: Dispatcher.DispatchController | undefined;
  let done = false;
  let abortedWith: Error | undefined;
  let settle!: { resolve: (answer: ReplicaAnswer) => void; reject: (error: unknown) => void };
  const answer = new Promise<ReplicaAnswer>((resolve, reject) => (settle = { resolve, reject }));
  const finish = (outcome: () => void) => {
    if (done) return;
    done = true;
    outcome();
  };
  let statusCode = 0;
  let headers: IncomingHttpHeaders = {};
  const chunks: Buffer[] = [];
  try {
    dispatcher.dispatch(
      { path: request.path, method: request.method, headers: request.headers ?? {}, body: request.body ?? null, reset: request.reset ?? false },
      {
        onRequestStart(started) {
          controller = started;
          // Given up before it had a connection: aborted as soon as it gets one.
          if (abortedWith) started.abort(abortedWith);
        },
        onResponseStart(_controller, status, responseHeaders) {
          statusCode = status;
          headers = responseHeaders;
          request.onResponseStart?.();
        },
        onResponseData(_controller, chunk) {
          chunks.push(chunk);
        },
        onResponseEnd() {
          finish(() => settle.resolve({ statusCode, headers, body: Buffer.concat(chunks).toString('utf8') }));
        },
        onResponseError(_controller, error) {
          finish(() => settle.reject(error));
        },
      },
    );
  } catch (error) {
    finish(() => settle.reject(error));
  }
  return {
    answer,
    abort(reason) {
      if (done) return;
      abortedWith = reason;
      controller?.abort(reason);
      finish(() => settle.reject(reason));
    },
  };
}

/** {@link callReplica} bounded by `timeoutMs` counted from now, time spent waiting for a connection included (health probes). */
export function sendToReplica(dispatcher: Dispatcher, request: ReplicaRequest, timeoutMs: number): Promise<ReplicaAnswer> {
  const call = callReplica(dispatcher, request);
  const timer = setTimeout(() => call.abort(new AttemptTimeoutError(timeoutMs)), timeoutMs);
  return call.answer.finally(() => clearTimeout(timer));
}
