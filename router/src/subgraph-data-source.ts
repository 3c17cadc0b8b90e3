import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { CHANGED_ENTITIES_EXTENSION } from '@cinema/kit/changed-entities';
import { REQUEST_ID_HEADER, writeIdentity } from '@cinema/kit/identity';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { GraphQLError, Kind, OperationTypeNode } from 'graphql';
import type { SubgraphRequest } from './balancing/balanced-fetcher.js';
import type { BufferedResponse } from './balancing/buffered-response.js';
import { distinctRepresentations, expandEntities, type DistinctRepresentations, type EntitiesResponse } from './balancing/distinct-representations.js';
import { isReadOnlyRequest } from './balancing/read-only-request.js';
import type { RouterContext } from './router-context.js';

/** Where a data source sends its requests: the subgraph's upstream (see `SubgraphUpstream.send`). */
export interface SubgraphTransport {
  send(request: SubgraphRequest, mergeKey: string | undefined, signal: AbortSignal | undefined, arrivedIn?: number): Promise<BufferedResponse>;
}

type ProcessOptions = GraphQLDataSourceProcessOptions<RouterContext>;
type GatewayRequest = ProcessOptions['request'];

/**
 * How the router talks to one subgraph, in place of `@apollo/gateway`'s `RemoteGraphQLDataSource` (the gateway
 * itself is used as published; a data source is its documented extension point). It does what that class does
 * (JSON POST, errors for non-2xx answers, the subgraph's `cache-control` folded into the request's cache policy)
 * plus what the router needs:
 *
 * - It forwards the verified identity (never the client's raw headers), so a subgraph trusts identity only as the
 *   router established it, and the request id, so one request's log lines can be found in every service.
 * - An `_entities` fetch carries each distinct representation once, and the answer is expanded back to the
 *   gateway's order, errors included (see `distinctRepresentations`).
 * - Queries identical in body and caller that are in flight at once are sent once (see `InFlightMerge`).
 * - When the client leaves, its fetches are given up, which the subgraphs see as a closed connection.
 * - No node-fetch `Request`/`Headers` objects and no URL parsing per fetch: headers are a plain object and the body
 *   is serialised once, which was about a tenth of the router's CPU per subgraph request.
 * - Once serialised, the gateway's representation objects are let go (see `releaseRepresentations`).
 */
export class SubgraphDataSource implements GraphQLDataSource<RouterContext> {
  constructor(private readonly transport: SubgraphTransport) {}

  async process(options: ProcessOptions): Promise<GatewayGraphQLResponse> {
    const { request } = options;
    if (!request.query) throw new Error('Missing query');
    const context = options.context as Partial<RouterContext>;
    const headers = headersFor(request, context);
    const representations: unknown = request.variables?.representations;
    const distinct = Array.isArray(representations) ? distinctRepresentations(representations) : undefined;
    const body = bodyOf(request, distinct);
    if (distinct) releaseRepresentations(representations as unknown[]);
    const incoming = 'incomingRequestContext' in options ? options : undefined;
    const operation = incoming?.document?.definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION);
    const readOnly = operation?.kind === Kind.OPERATION_DEFINITION ? operation.operation === OperationTypeNode.QUERY : isReadOnlyRequest(body);
    const response = await this.transport.send({ body, headers, readOnly }, mergeKeyOf(headers), context.signal, context.writeEpoch);
    const parsed = await parseAnswer(response);
    const result = distinct ? expandEntities(parsed, distinct) : parsed;

    // Typed `any` by the gateway interface; Apollo Server's own is a CachePolicy, with `restrict`.
    const policy = incoming?.incomingRequestContext.overallCachePolicy as { restrict?: (hint: ReturnType<typeof cacheHint>) => void } | undefined;
    policy?.restrict?.(cacheHint(response.headers.get('cache-control')));
    // The entities a subgraph says it changed go to the response cache, which invalidates them.
    const changed: unknown = result.extensions?.[CHANGED_ENTITIES_EXTENSION];
    const capture = context.responseCapture;
    if (capture && Array.isArray(changed)) for (const tag of changed) if (typeof tag === 'string') capture.tags.add(tag);
    return result;
  }
}

function headersFor(request: GatewayRequest, context: Partial<RouterContext>): Record<string, string> {
  const headers: Record<string, string> = {};
  // The gateway sets headers of its own here only to ask for federated traces.
  if (request.http?.headers) for (const [name, value] of request.http.headers) headers[name] = value;
  headers['content-type'] = 'application/json';
  writeIdentity(
    {
      set: (name, value) => (headers[name] = value),
      delete: (name) => delete headers[name],
    },
    context.identity ?? { userId: null, roles: [] },
  );
  if (context.requestId) headers[REQUEST_ID_HEADER] = context.requestId;
  return headers;
}

/**
 * What an answer depends on besides the body: every header sent but the request id, which only labels logs. It
 * holds the caller's identity, so requests are never merged across callers.
 */
function mergeKeyOf(headers: Record<string, string>): string {
  let key = '';
  for (const name in headers) if (name !== REQUEST_ID_HEADER) key += `${name}:${headers[name]}\n`;
  return key;
}

/** The JSON body, as `RemoteGraphQLDataSource` writes it; with the deduplicated representations spliced in as text. */
function bodyOf(request: GatewayRequest, distinct: DistinctRepresentations | undefined): string {
  const { query, variables, operationName, extensions } = request;
  if (!distinct) return JSON.stringify({ query, variables, operationName, extensions });
  const { representations: _sent, ...others } = variables!;
  const rest = JSON.stringify(others);
  const variablesJson = rest === '{}' ? `{"representations":${distinct.json}}` : `${rest.slice(0, -1)},"representations":${distinct.json}}`;
  let body = `{"query":${JSON.stringify(query)},"variables":${variablesJson}`;
  if (operationName !== undefined && operationName !== null) body += `,"operationName":${JSON.stringify(operationName)}`;
  if (extensions !== undefined) body += `,"extensions":${JSON.stringify(extensions)}`;
  return `${body}}`;
}

/**
 * Lets the garbage collector have the representations of an `_entities` fetch as soon as their JSON is in the body:
 * the array keeps its length, its elements become null. `@apollo/gateway` (2.14, `executeFetch`) keeps the array
 * referenced until the answer is merged, but reads only its length then. Without this, a deep query's thousands of
 * null-prototype representation objects (dictionary-mode, a few hundred bytes each) stayed alive for as long as the
 * fetch waited in the heavy-request gate and ran: under 64 connections of Q2 they were over half of the router's
 * live heap, and the young-generation collector copied them again and again (a quarter of the router's CPU went to
 * scavenges; releasing them cut that time by about 40 %, see docs/benchmarks/gateways.md).
 */
function releaseRepresentations(representations: unknown[]): void {
  representations.fill(null);
}

type ParsedAnswer = GatewayGraphQLResponse & EntitiesResponse & { extensions?: Record<string, unknown> };

/** The answer as JSON; a non-2xx status becomes an error as `RemoteGraphQLDataSource` reports it. */
async function parseAnswer(response: BufferedResponse): Promise<ParsedAnswer> {
  const contentType = response.headers.get('content-type');
  const isJson = !!contentType && (contentType.startsWith('application/json') || contentType.startsWith('application/graphql-response+json'));
  const body: unknown = isJson ? await response.json() : await response.text();
  if (!response.ok) {
    const code = response.status === 401 ? 'UNAUTHENTICATED' : response.status === 403 ? 'FORBIDDEN' : undefined;
    throw new GraphQLError(`${response.status}: ${response.statusText}`, {
      extensions: { response: { url: response.url, status: response.status, statusText: response.statusText, body }, ...(code ? { code } : {}) },
    });
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error(`Expected JSON response body, but received: ${String(body)}`);
  return body as ParsedAnswer;
}

/** The cache hint of a subgraph's `cache-control` header, read as `RemoteGraphQLDataSource` does. */
function cacheHint(header: string | null): { maxAge: number; scope?: 'PRIVATE' | 'PUBLIC' } {
  const hint: { maxAge: number; scope?: 'PRIVATE' | 'PUBLIC' } = { maxAge: 0 };
  if (!header) return hint;
  const directives = new Map<string, string | true>();
  for (const part of header.trim().split(/\s*,\s*/)) {
    const [name, value] = part.split(/\s*=\s*/, 2) as [string, string | undefined];
    directives.set(name, value === undefined ? true : value.replace(/^"|"$/g, ''));
  }
  const maxAge = directives.get('max-age');
  if (typeof maxAge === 'string' && /^[0-9]+$/.test(maxAge)) hint.maxAge = Number(maxAge);
  if (directives.get('private') === true) hint.scope = 'PRIVATE';
  if (directives.get('public') === true) hint.scope = 'PUBLIC';
  return hint;
}
