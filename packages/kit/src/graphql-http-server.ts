import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type BaseContext, type HTTPGraphQLRequest, type HTTPGraphQLResponse } from '@apollo/server';
import type { Logger } from 'pino';
import { HttpBodyError, parseJsonBody, readBody } from './http-body.js';
import { linkObservedRequest } from './observe-graphql-operations.js';
import { observeHttpRequest, type ObservedRequest } from './observe-http-request.js';
import type { ServiceMetrics } from './service-metrics.js';

/** A plain HTTP route beside GraphQL (health, metrics, feeds). */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => void | Promise<void>;

/** A request refused before GraphQL runs, sent as a GraphQL-shaped error with a stable code. */
export interface RequestRefusal {
  status: number;
  code: string;
  message: string;
  /** Extra response headers, e.g. `retry-after`. */
  headers?: Record<string, string>;
  /** Extra `extensions` of the error beside `code`, e.g. a limit and the value that exceeded it. */
  extensions?: Record<string, unknown>;
}

/** What {@link GraphQLHttpServerOptions.admit} sees of a GraphQL request. */
export interface AdmissionRequest {
  url: URL;
  /** The body exactly as received; empty for GET. */
  bytes: Buffer;
  /**
   * The body as Apollo will get it (parsed JSON, text for other content types, undefined for none), parsed on first
   * call; malformed JSON throws the usual 400.
   */
  body(): unknown;
}

/**
 * Stands between HTTP and Apollo for each GraphQL request: it may answer without running the operation (a response
 * cache hit), rewrite the request, or post-process what `execute` (Apollo) returns.
 */
export type GraphQLRequestInterceptor = (
  req: IncomingMessage,
  request: HTTPGraphQLRequest,
  execute: (request: HTTPGraphQLRequest) => Promise<HTTPGraphQLResponse>,
) => Promise<HTTPGraphQLResponse>;

export interface GraphQLHttpServerOptions<TContext extends BaseContext> {
  apollo: ApolloServer<TContext>;
  /**
   * Builds the per-request context; loaders live here, so they are never shared across requests. `observed` has the
   * request's id and logger (the router forwards the id to subgraphs).
   */
  context: (req: IncomingMessage, observed: ObservedRequest) => Promise<TContext>;
  logger: Logger;
  /** Path of the GraphQL endpoint. */
  graphqlPath?: string;
  /** Extra routes by exact path, e.g. `{'/health': ...}`. */
  routes?: Record<string, RouteHandler>;
  /** Largest accepted request body. */
  bodyLimitBytes?: number;
  /** What a browser gets at `GET <graphqlPath>` (Accept: text/html, no query): e.g. an IDE. */
  landingPage?: RouteHandler;
  /**
   * Asked about a request that no route and not the GraphQL path matched, before the 404: a single-page app's deep
   * links (`/movie/42`) are answered with its page. Returns false to leave the request to the 404.
   */
  fallback?: (req: IncomingMessage, res: ServerResponse, url: URL) => boolean;
  /**
   * Where every request is counted and timed; also served at `GET /metrics` unless `routes` has its own. Install
   * {@link observeGraphQLOperations} in the Apollo server so GraphQL operations are counted too.
   */
  metrics?: ServiceMetrics;
  /** Wraps every GraphQL execution, e.g. the router's response cache. */
  intercept?: GraphQLRequestInterceptor;
  /**
   * Runs first on every request, routes included: sets response headers (CORS, security headers) and may answer the
   * request itself (a CORS preflight), returning true then.
   */
  onRequest?: (req: IncomingMessage, res: ServerResponse, url: URL) => boolean;
  /**
   * Decides whether a GraphQL request may go on (a subgraph checks the router's signature, the router applies rate
   * limits); a refusal is sent instead. Runs once the body is read, before anything parses the operation.
   */
  admit?: (req: IncomingMessage, request: AdmissionRequest) => RequestRefusal | null | Promise<RequestRefusal | null>;
}

/** Writes a JSON body with the given status. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** A GraphQL-shaped error response for failures that happen before GraphQL runs (body, routing). */
export function sendGraphQLError(res: ServerResponse, status: number, code: string, message: string): void {
  sendJson(res, status, { errors: [{ message, extensions: { code } }] });
}

/** Sends a {@link RequestRefusal}. */
export function sendRefusal(res: ServerResponse, refusal: RequestRefusal): void {
  sendJson(res, refusal.status, { errors: [{ message: refusal.message, extensions: { ...refusal.extensions, code: refusal.code } }] }, refusal.headers);
}

const NO_BODY = Buffer.alloc(0);
/** Probes and scrapes: logged at debug, they would otherwise be most of the log. */
const QUIET_ROUTES = new Set(['/health', '/metrics']);

/**
 * Serves an Apollo Server over Node's own HTTP server.
 *
 * We integrate through `executeHTTPGraphQLRequest` instead of Express so that every service gets the same body
 * limit, error shape and extra routes with no framework in the hot path, and so that `server.ts` can build the
 * server without listening (tests listen on port 0).
 */
export function createGraphQLHttpServer<TContext extends BaseContext>(options: GraphQLHttpServerOptions<TContext>): Server {
  const {
    apollo,
    context,
    logger,
    graphqlPath = '/graphql',
    routes = {},
    bodyLimitBytes = 1_000_000,
    landingPage,
    intercept,
    onRequest,
    admit,
    fallback,
  } = options;

  const servedRoutes: Record<string, RouteHandler> = options.metrics ? { '/metrics': options.metrics.route, ...routes } : routes;
  /** Metrics label of a request: a route's path, the GraphQL path, or `other`, never a path a client made up. */
  const routeLabelOf = (path: string): string => (path === graphqlPath || servedRoutes[path] ? path : 'other');

  const handle = async (req: IncomingMessage, res: ServerResponse, observed: ObservedRequest): Promise<void> => {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      return sendGraphQLError(res, 400, 'BAD_REQUEST', 'Malformed request target');
    }
    if (onRequest?.(req, res, url)) return;
    const route = servedRoutes[url.pathname];
    if (route) return route(req, res, url);
    if (url.pathname !== graphqlPath && fallback?.(req, res, url)) return;
    if (url.pathname !== graphqlPath) return sendGraphQLError(res, 404, 'NOT_FOUND', `No route ${url.pathname}; GraphQL is at ${graphqlPath}`);
    if (landingPage && req.method === 'GET' && !url.searchParams.has('query') && (req.headers.accept ?? '').includes('text/html')) {
      return landingPage(req, res, url);
    }

    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const bytes = req.method === 'POST' ? await readBody(req, bodyLimitBytes) : NO_BODY;
    let parsed: { value: unknown } | undefined;
    const body = (): unknown => {
      if (req.method !== 'POST') return undefined;
      if (!parsed) {
        const text = bytes.toString('utf8');
        parsed = { value: (headers.get('content-type') ?? '').includes('json') ? parseJsonBody(text) : text };
      }
      return parsed.value;
    };
    const refusal = admit ? await admit(req, { url, bytes, body }) : null;
    if (refusal) return sendRefusal(res, refusal);
    const httpGraphQLRequest: HTTPGraphQLRequest = { method: req.method ?? 'GET', headers, search: url.search, body: body() };
    const execute = (request: HTTPGraphQLRequest) => {
      linkObservedRequest(request, observed);
      return apollo.executeHTTPGraphQLRequest({ httpGraphQLRequest: request, context: () => context(req, observed) });
    };
    const response = await (intercept ? intercept(req, httpGraphQLRequest, execute) : execute(httpGraphQLRequest));
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      // Encoded once: handed the string, Node first walks it to count its bytes for `Content-Length` (flattening the
      // `JSON.stringify(...) + '\n'` Apollo makes) and then encodes it; a buffer's length is known. For a deep query's
      // answer of a megabyte that walk was about a sixth of the cost of sending it. Node still writes the header
      // itself, so the bytes on the wire are unchanged (the response cache's fast path sends the same ones).
      res.end(Buffer.from(response.body.string));
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  };

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?', 1)[0]!;
    const route = routeLabelOf(path);
    const observed = observeHttpRequest(req, res, {
      logger,
      metrics: options.metrics,
      route,
      quiet: QUIET_ROUTES.has(route),
      ...(route === 'other' ? { path } : {}),
    });
    handle(req, res, observed).catch((error: unknown) => {
      if (error instanceof HttpBodyError) {
        if (!res.headersSent) sendGraphQLError(res, error.status, error.code, error.message);
        else res.destroy();
        return;
      }
      observed.log.error({ err: error }, 'unhandled error while serving a request');
      if (!res.headersSent) sendGraphQLError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
      else res.destroy();
    });
  });
  // Slow clients must not hold sockets forever.
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  server.keepAliveTimeout = 65_000;
  return server;
}
