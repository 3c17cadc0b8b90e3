import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { REQUEST_ID_HEADER } from './identity.js';
import { requestIdOf } from './request-id.js';
import type { ServiceMetrics } from './service-metrics.js';

/** A GraphQL operation a request ran, as {@link observeGraphQLOperations} saw it. */
export interface ObservedOperation {
  name?: string;
  /** `query`, `mutation`, `subscription`, or `unknown` when the document did not parse or validate. */
  type: string;
  /** `extensions.code` of each error in the operation's response. */
  errorCodes: string[];
}

/** One request being served: its id, a logger bound to it, and what was learned about it on the way. */
export interface ObservedRequest {
  /** The caller's `x-request-id` when sane, else a new one; echoed in the response and forwarded downstream. */
  readonly requestId: string;
  /** The service's logger with `requestId` bound: use it for every line about this request. */
  readonly log: Logger;
  /** The GraphQL operations it ran: one, or several for a batch. */
  readonly operations: ObservedOperation[];
  /**
   * Aborted when the client leaves before the response is complete (its connection closed), so work done only for
   * this answer can stop: the router abandons its subgraph fetches, a subgraph cancels its SQL. Made on first use.
   */
  readonly signal: AbortSignal;
}

export interface ObserveHttpRequestOptions {
  logger: Logger;
  metrics?: ServiceMetrics | undefined;
  /** Metrics label naming what serves the request: one of the service's routes or `other`, never the raw path. */
  route: string;
  /** Path for the access log line; left out where paths carry secrets (the chunk server's signed URLs). */
  path?: string;
  /** Probes and scrapes (`/health`, `/metrics`) log at debug so they do not drown the requests that matter. */
  quiet?: boolean;
}

/** Responses whose access line is debug: see {@link logRequestAtDebug}. */
const debugResponses = new WeakSet<ServerResponse>();

/**
 * Makes this request's access line debug instead of info, for routes that other services poll in the background
 * (the catalogue feed): at idle they would otherwise be all the log says, a couple of lines every few seconds. A
 * failure still shows: a response of 400 or more is logged at info.
 */
export function logRequestAtDebug(res: ServerResponse): void {
  debugResponses.add(res);
}

/**
 * Gives a request its id (echoed in `x-request-id`) and a logger bound to it, and when the response is over, records
 * it in the metrics and writes one access log line: method, route, status, duration, and the GraphQL operation and
 * error codes when it was one. Call it first thing in the request handler, before any header is sent.
 */
export function observeHttpRequest(req: IncomingMessage, res: ServerResponse, options: ObserveHttpRequestOptions): ObservedRequest {
  const observation = new Observation(req, res, options);
  res.setHeader(REQUEST_ID_HEADER, observation.requestId);
  (res as ObservedResponse)[OBSERVATION] = observation;
  // `close` also comes when the client leaves before the response is complete, which `finish` never reports. It
  // comes once: `on` spares the wrapper `once` makes, and one listener shared by every response spares a closure.
  res.on('close', onResponseClose);
  return observation;
}

const OBSERVATION = Symbol('observation');
type ObservedResponse = ServerResponse & { [OBSERVATION]?: Observation };

function onResponseClose(this: ObservedResponse): void {
  this[OBSERVATION]?.close();
}

/**
 * One request's observation. A class rather than an object literal with getters and closures: it is made for every
 * request a service serves, and its lazy parts (logger, abort signal) cost nothing until asked for.
 */
class Observation implements ObservedRequest {
  readonly requestId: string;
  readonly operations: ObservedOperation[] = [];
  readonly #started = performance.now();
  readonly #req: IncomingMessage;
  readonly #res: ServerResponse;
  readonly #options: ObserveHttpRequestOptions;
  #gone: AbortController | undefined;
  #log: Logger | undefined;

  constructor(req: IncomingMessage, res: ServerResponse, options: ObserveHttpRequestOptions) {
    this.requestId = requestIdOf(req.headers);
    this.#req = req;
    this.#res = res;
    this.#options = options;
  }

  // Lazy: pino serialises a child's bindings when it is made, and most requests never log a line of their own (nor
  // an access line below the configured level).
  get log(): Logger {
    return (this.#log ??= this.#options.logger.child({ requestId: this.requestId }));
  }

  // Lazy: most routes never ask, and an AbortController per request is not free.
  get signal(): AbortSignal {
    this.#gone ??= new AbortController();
    if (this.#res.closed && !this.#res.writableFinished) this.#gone.abort();
    return this.#gone.signal;
  }

  close(): void {
    const req = this.#req;
    const res = this.#res;
    const options = this.#options;
    if (!res.writableFinished) this.#gone?.abort();
    const seconds = (performance.now() - this.#started) / 1000;
    const { metrics, route } = options;
    metrics?.observeHttpRequest(route, req.method, res.statusCode, seconds);
    for (const operation of this.operations) metrics?.countOperation(operation.type, operation.errorCodes);
    const level = options.quiet || (debugResponses.has(res) && res.statusCode < 400) ? 'debug' : 'info';
    if (!options.logger.isLevelEnabled(level)) return;
    this.log[level](
      {
        method: req.method,
        route,
        ...(options.path !== undefined ? { path: options.path } : {}),
        status: res.statusCode,
        durationMs: Math.round(seconds * 1e5) / 100,
        ...operationFields(this.operations),
        ...(res.writableFinished ? {} : { aborted: true }),
      },
      'request',
    );
  }
}

/** The access log fields of a request's operations: flat for one, a list for a batch. */
function operationFields(operations: readonly ObservedOperation[]): Record<string, unknown> {
  const fields = ({ name, type, errorCodes }: ObservedOperation) => ({
    ...(name ? { operationName: name } : {}),
    operationType: type,
    ...(errorCodes.length > 0 ? { errors: errorCodes } : {}),
  });
  if (operations.length === 0) return {};
  if (operations.length === 1) return fields(operations[0]!);
  return { operations: operations.map(fields) };
}
