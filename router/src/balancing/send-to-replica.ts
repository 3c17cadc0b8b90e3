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
}

/** Raised when an attempt runs out of time; the request is aborted and its connection dropped. */
export class AttemptTimeoutError extends Error {
  readonly code = 'ATTEMPT_TIMEOUT';
  constructor(readonly timeoutMs: number) {
    super(`no complete answer within ${timeoutMs} ms`);
    this.name = 'AttemptTimeoutError';
  }
}

/**
 * Sends one request over undici's low-level dispatch API and collects the whole answer, failing after `timeoutMs`
 * counted from now, time spent waiting for a connection included. Dispatch with a deadline timer costs far less per
 * request than undici's `request()` with an `AbortSignal`, whose listener bookkeeping alone added about half again
 * to a local round trip; the subgraph fetch path runs this for every fetch of every query.
 */
export function sendToReplica(dispatcher: Dispatcher, request: ReplicaRequest, timeoutMs: number): Promise<ReplicaAnswer> {
  return new Promise<ReplicaAnswer>((resolve, reject) => {
    let controller: Dispatcher.DispatchController | undefined;
    let done = false;
    let statusCode = 0;
    let headers: IncomingHttpHeaders = {};
    const chunks: Buffer[] = [];
    const finish = (settle: () => void) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      settle();
    };
    const timer = setTimeout(() => {
      const error = new AttemptTimeoutError(timeoutMs);
      // Not yet on a connection: the request is aborted as soon as it gets one.
      controller?.abort(error);
      finish(() => reject(error));
    }, timeoutMs);
    try {
      dispatcher.dispatch(
        { path: request.path, method: request.method, headers: request.headers ?? {}, body: request.body ?? null, reset: request.reset ?? false },
        {
          onRequestStart(started) {
            controller = started;
            if (done) started.abort(new AttemptTimeoutError(timeoutMs));
          },
          onResponseStart(_controller, status, responseHeaders) {
            statusCode = status;
            headers = responseHeaders;
          },
          onResponseData(_controller, chunk) {
            chunks.push(chunk);
          },
          onResponseEnd() {
            finish(() => resolve({ statusCode, headers, body: Buffer.concat(chunks).toString('utf8') }));
          },
          onResponseError(_controller, error) {
            finish(() => reject(error));
          },
        },
      );
    } catch (error) {
      finish(() => reject(error));
    }
  });
}
