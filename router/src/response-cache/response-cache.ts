import type { IncomingMessage } from 'node:http';
import { HeaderMap, type HTTPGraphQLRequest, type HTTPGraphQLResponse } from '@apollo/server';
import type { Identity } from '@cinema/kit/identity';
import type { Logger } from '@cinema/kit/logging';
import { Kind, OperationTypeNode, parse, print, type DocumentNode, type GraphQLSchema } from 'graphql';
import { LRUCache } from 'lru-cache';
import { addEntityTagSelections, usesReservedKeys } from './entity-tag-selections.js';
import { newResponseCapture, type ResponseCapture } from './response-capture.js';
import type { ResponseCacheMetrics } from './response-cache-metrics.js';
import { responseCacheKeys, type ResponseCacheKeys } from './response-cache-key.js';
import type { CachedResponse, ResponseStore } from './response-store.js';
import { SingleFlight } from './single-flight.js';
import { sourceLocationMap, type SourceLocationMap } from './source-locations.js';
import type { TagIndex } from './tag-index.js';

export interface ResponseCacheOptions {
  store: ResponseStore;
  tags: TagIndex;
  metrics: ResponseCacheMetrics;
  logger: Logger;
  /**
   * The graph's schema, to find the types with an `id`. Built by the caller from the supergraph SDL in this module's
   * copy of graphql: the gateway's own schema object may come from another copy (CommonJS vs ESM), whose types
   * graphql's `instanceof` checks would refuse.
   */
  schema: GraphQLSchema;
  /** The caller of a request, as the router authenticates it (memoised per request by the caller). */
  identify: (req: IncomingMessage) => Promise<Identity>;
  /** Prefix of entry keys in the store, e.g. `cinema:response:`. */
  keyPrefix: string;
  /** Upper bound on any entry's lifetime, whatever the hints say. */
  maxTtlSeconds: number;
  /** Responses larger than this are served but not stored. */
  maxBodyBytes: number;
  /**
   * Entries this process keeps in front of a shared store (0: none). A kept entry spares the read of the entry from
   * Redis, never the check of its tags there, so it is served only as long as any other would be.
   */
  localEntries: number;
}

/** How long a finished execution still answers identical requests whose lookup raced its write to the store. */
const FLIGHT_LINGER_MS = 1_000;

/** A parsed query text, memoised: parsing and printing cost more than a cache hit should. */
export interface ParsedQuery {
  normalized: string;
  /** The text Apollo runs: the client's operation plus entity keys; null when the document uses reserved keys. */
  tagged: string | null;
  /** Positions in `tagged` → positions in the client's text, so error locations refer to what the client sent. */
  locations: SourceLocationMap | null;
  operations: Map<string | null, OperationTypeNode>;
  /**
   * The cache keys of requests for this text already seen, by operation name, variables as sent, media type and
   * caller scope: a hit then costs no canonical JSON and no SHA-256 (variables sent in another key order only take
   * one more slot, and map to the same keys).
   */
  keys: LRUCache<string, ResponseCacheKeys>;
}

/** Key sets remembered per query text (see {@link ParsedQuery.keys}). */
const KEYS_PER_QUERY = 2_000;

/** What one execution produced, handed to requests that waited for it (see {@link SingleFlight}). */
interface Outcome {
  response: HTTPGraphQLResponse;
  /** The entry stored from it, or null when the response was not cacheable. */
  entry: CachedResponse | null;
  /** Whose request ran it (see {@link ResponseCacheKeys.scope}). */
  scope: string;
}

/** Entry keys a prepared body remembers per media type, and per caller scope within one (see {@link HitLookup}). */
const ENTRY_KEYS_PER_BODY = 256;

/** A request body the cache could answer from an entry, prepared once per distinct body (see `ResponseCache.hitLookup`). */
export interface HitLookup {
  readonly request: GraphQLBody;
  readonly parsed: ParsedQuery;
  /** Personal and shared entry keys by media type, then by caller scope: a repeated request derives no key. */
  readonly entryKeys: Map<string, Map<string, readonly [string, string]>>;
}

export interface GraphQLBody {
  query: string;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
}

/**
 * The router's response cache, between HTTP and Apollo (see `GraphQLRequestInterceptor`).
 *
 * - **Lookup** before Apollo runs, so a hit costs a parse of the JSON body, a memoised look at the query, the JWT
 *   check and two Redis round trips (the entry under the caller's personal and the shared key, then its tags). An
 *   entry this process holds is answered earlier still, before the generic GraphQL HTTP server, by
 *   `cache-hit-fast-path.ts` through {@link findHit}: one Redis round trip (its tags), nothing else per request.
 * - **Policy** from the subgraphs' `@cacheControl` hints, as Apollo folds their `cache-control` headers into the
 *   request's policy: nothing with errors, a zero max-age or a non-200 status is stored; PUBLIC responses go under
 *   the shared key, PRIVATE ones under the caller's personal key only.
 * - **Tags**: the operation Apollo runs asks every object with an `id` for `__typename` and `id` under reserved
 *   aliases, which are collected into tags (`Movie:42`) and removed before the response is sent or stored.
 * - **Invalidation**: a mutation invalidates the tags of the entities in its response before the response is
 *   returned; an entry is valid while none of its tags was invalidated after the clock reading taken before its
 *   operation ran (see {@link TagIndex}), which every router instance sharing the Redis sees.
 * - **Single flight**: concurrent identical misses in this process wait for one execution, and take its result when
 *   it is PUBLIC (or theirs) and no invalidation happened since it started.
 * - **Fail open**: with Redis unreachable every request is a BYPASS served by Apollo as if there were no cache.
 *
 * Headers: `x-cache: HIT|MISS|BYPASS`, and `age` on hits. `Cache-Control: no-cache` from the client skips the
 * lookup (the fresh response still refreshes the cache; `no-store` prevents that too).
 */
export class ResponseCache {
  readonly #options: ResponseCacheOptions;
  readonly #captures = new WeakMap<IncomingMessage, ResponseCapture>();
  readonly #flights = new SingleFlight<Outcome>();
  readonly #parsed = new LRUCache<string, ParsedQuery | false>({ max: 2_000 });
  readonly #local: LRUCache<string, CachedResponse> | undefined;
  /** The clock position each entry this process holds was last found valid at (see {@link TagIndex.check}). */
  readonly #validAt = new WeakMap<CachedResponse, number>();

  constructor(options: ResponseCacheOptions) {
    this.#options = options;
    this.#local = options.localEntries > 0 ? new LRUCache<string, CachedResponse>({ max: options.localEntries }) : undefined;
  }

  /** The capture of a request the cache is handling, for the router context. */
  captureFor(req: IncomingMessage): ResponseCapture | undefined {
    return this.#captures.get(req);
  }

  /** The interceptor: answers from the cache, or runs `execute` (Apollo) and caches or invalidates by its result. */
  readonly intercept = async (
    req: IncomingMessage,
    request: HTTPGraphQLRequest,
    execute: (request: HTTPGraphQLRequest) => Promise<HTTPGraphQLResponse>,
  ): Promise<HTTPGraphQLResponse> => {
    const body = request.method === 'POST' ? cacheableBodyOf(request.body) : null;
    const parsed = body ? this.#parse(body.query) : false;
    const operationType = parsed && body ? parsed.operations.get(body.operationName ?? null) : undefined;
    if (!body || !parsed || !parsed.tagged || (operationType !== OperationTypeNode.QUERY && operationType !== OperationTypeNode.MUTATION))
      return this.#bypass(await execute(request));
    const identity = await this.#options.identify(req).catch(() => null);
    // An invalid token: Apollo refuses it with 401, nothing to cache.
    if (!identity) return this.#bypass(await execute(request));

    const tagged: HTTPGraphQLRequest = { ...request, body: { ...(request.body as object), query: parsed.tagged } };
    const capture = newResponseCapture();
    capture.sourceLocations = parsed.locations ?? undefined;
    this.#captures.set(req, capture);
    if (operationType === OperationTypeNode.MUTATION) return this.#bypass(await this.#mutate(tagged, capture, execute));

    const { tags, store, metrics } = this.#options;
    if (!tags.available) return this.#bypass(await execute(tagged));
    const directives = (request.headers.get('cache-control') ?? '').toLowerCase();
    const noCache = directives.includes('no-cache') || directives.includes('no-store');
    const keys = keysOf(parsed, body, request.headers.get('accept') ?? '', identity);
    const personalKey = this.#entryKey(keys.personal);
    const sharedKey = this.#entryKey(keys.shared);
    const kept = noCache ? undefined : (this.#local?.get(personalKey) ?? publicOnly(this.#local?.get(sharedKey)));
    if (kept && (await this.#isFresh(kept))) {
      metrics.request('hit');
      return hitResponse(kept);
    }
    const [entries, seq] = await Promise.all([
      noCache ? Promise.resolve(null) : store.getMany([personalKey, sharedKey]).catch(() => (metrics.storeError(), null)),
      tags.snapshot(),
    ]);
    if (seq === null) return this.#bypass(await execute(tagged));
    capture.clock = seq;
    const cached = entries?.[0] ?? publicOnly(entries?.[1]);
    if (cached && (await this.#isFresh(cached))) {
      this.#keep(cached === entries?.[0] ? personalKey : sharedKey, cached);
      metrics.request('hit');
      return hitResponse(cached);
    }

    const flight = noCache ? undefined : this.#flights.join(keys.shared);
    if (flight) {
      // A leader that failed outright leaves the waiters to run the operation themselves.
      const outcome = await flight.catch(() => null);
      const entry = outcome?.entry;
      // Usable when nothing was invalidated since it started (same clock reading), still fresh, and ours to see.
      if (entry && entry.seq === seq && Date.now() < entry.storedAt + entry.maxAge * 1000 && (entry.scope === 'PUBLIC' || outcome.scope === keys.scope)) {
        metrics.request('coalesced');
        return hitResponse(entry);
      }
    }
    const outcome = await this.#flights.lead(
      keys.shared,
      () => this.#run(tagged, capture, execute, keys, seq, directives.includes('no-store')),
      FLIGHT_LINGER_MS,
    );
    metrics.request(noCache ? 'bypass' : 'miss');
    return withCacheHeaders(outcome.response, noCache ? 'BYPASS' : 'MISS');
  };

  /**
   * What {@link findHit} needs of a request body, prepared once per distinct body by its caller (the fast path keeps
   * it with the body's bytes): the body's single query when the cache could answer it, null otherwise (a mutation,
   * a batch, a persisted query, a document Apollo must refuse). Nothing in it depends on the caller.
   */
  hitLookup(body: unknown): HitLookup | null {
    const request = cacheableBodyOf(body);
    const parsed = request ? this.#parse(request.query) : false;
    if (!request || !parsed || !parsed.tagged || parsed.operations.get(request.operationName ?? null) !== OperationTypeNode.QUERY) return null;
    return { request, parsed, entryKeys: new Map() };
  }

  /**
   * The entry a request would be answered from, when this process can tell cheaply: a POST of one query the cache
   * knows ({@link hitLookup}), from a caller whose token verifies, without `Cache-Control: no-cache`, whose entry
   * this process holds (or, with no shared store, the in-process store holds) and whose tags Redis says are still
   * valid. Null otherwise: the request then takes the full path ({@link intercept}), which reads the shared store
   * too. Used by the HTTP-level fast path (see `cache-hit-fast-path.ts`), which counts the hit itself once it answers.
   *
   * The tag check is the same as on the full path (read after the request arrived), so an invalidation through any
   * router instance is seen as soon as it returns.
   */
  async findHit(req: IncomingMessage, lookup: HitLookup, accept: string): Promise<CachedResponse | null> {
    if (!this.#options.tags.available) return null;
    let identity: Identity;
    try {
      identity = await this.#options.identify(req);
    } catch {
      // An invalid token: the full path refuses it with 401.
      return null;
    }
    const [personalKey, sharedKey] = this.#entryKeysOf(lookup, accept, identity);
    let entry: CachedResponse | undefined;
    if (this.#local) {
      entry = this.#local.get(personalKey) ?? publicOnly(this.#local.get(sharedKey));
    } else {
      // No shared store: the store is this process's own LRU, as cheap to read here as on the full path.
      const entries = await this.#options.store.getMany([personalKey, sharedKey]).catch(() => null);
      entry = entries?.[0] ?? publicOnly(entries?.[1]);
    }
    // The freshness check of #isFresh, inline: one async step fewer on every hit.
    if (!entry || Date.now() >= entry.storedAt + entry.maxAge * 1000) return null;
    const validAt = await this.#options.tags.check(entry.tags, entry.seq, this.#validAt.get(entry) ?? entry.seq);
    if (validAt === null || validAt === false) return null;
    this.#validAt.set(entry, validAt);
    return entry;
  }

  /** The personal and shared entry keys of a prepared body for this media type and caller, derived once for each. */
  #entryKeysOf(lookup: HitLookup, accept: string, identity: Identity): readonly [string, string] {
    const scope = identity.userId ? `${identity.userId}\u0000${identity.roles.join(',')}` : '';
    let byScope = lookup.entryKeys.get(accept);
    if (!byScope) {
      // Bounded: a body's media types are a handful, its callers are not.
      if (lookup.entryKeys.size >= ENTRY_KEYS_PER_BODY) lookup.entryKeys.clear();
      lookup.entryKeys.set(accept, (byScope = new Map<string, readonly [string, string]>()));
    }
    let entryKeys = byScope.get(scope);
    if (!entryKeys) {
      const keys = keysOf(lookup.parsed, lookup.request, accept, identity);
      if (byScope.size >= ENTRY_KEYS_PER_BODY) byScope.clear();
      byScope.set(scope, (entryKeys = [this.#entryKey(keys.personal), this.#entryKey(keys.shared)]));
    }
    return entryKeys;
  }

  /** Counts a hit answered by the fast path (see {@link findHit}). */
  countFastPathHit(): void {
    this.#options.metrics.fastPathHit();
  }

  async #mutate(
    request: HTTPGraphQLRequest,
    capture: ResponseCapture,
    execute: (request: HTTPGraphQLRequest) => Promise<HTTPGraphQLResponse>,
  ): Promise<HTTPGraphQLResponse> {
    const response = await execute(request);
    if (capture.tags.size > 0) {
      // Before the response leaves: once the client has it, no router instance may serve what it changed.
      await this.#options.tags.invalidate([...capture.tags]);
      this.#options.metrics.invalidated(capture.tags.size);
    }
    return response;
  }

  async #run(
    request: HTTPGraphQLRequest,
    capture: ResponseCapture,
    execute: (request: HTTPGraphQLRequest) => Promise<HTTPGraphQLResponse>,
    keys: ResponseCacheKeys,
    seq: number,
    noStore: boolean,
  ): Promise<Outcome> {
    const response = await execute(request);
    const outcome: Outcome = { response, entry: null, scope: keys.scope };
    const { policy } = capture;
    if (noStore || !capture.completed || capture.hasErrors || !policy || policy.maxAge <= 0) return outcome;
    if ((response.status ?? 200) !== 200 || response.body.kind !== 'complete') return outcome;
    const text = response.body.string;
    if (text.length > this.#options.maxBodyBytes) return outcome;
    const maxAge = Math.min(policy.maxAge, this.#options.maxTtlSeconds);
    const entry: CachedResponse = {
      body: text,
      contentType: response.headers.get('content-type') ?? 'application/json; charset=utf-8',
      scope: policy.scope,
      maxAge,
      storedAt: Date.now(),
      seq,
      tags: [...capture.tags],
    };
    const key = this.#entryKey(policy.scope === 'PRIVATE' ? keys.personal : keys.shared);
    // Not awaited: the client need not wait for the write. The entry's clock reading keeps it from ever being
    // served after an invalidation that raced it, however late the write lands.
    this.#options.store.set(key, entry, maxAge * 1000).catch(() => this.#options.metrics.storeError());
    this.#keep(key, entry);
    outcome.entry = entry;
    return outcome;
  }

  async #isFresh(entry: CachedResponse): Promise<boolean> {
    if (Date.now() >= entry.storedAt + entry.maxAge * 1000) return false;
    const validAt = await this.#options.tags.check(entry.tags, entry.seq, this.#validAt.get(entry) ?? entry.seq);
    if (validAt === null || validAt === false) return false;
    this.#validAt.set(entry, validAt);
    return true;
  }

  #keep(key: string, entry: CachedResponse): void {
    // No TTL in the LRU: every use of a kept entry checks its age first (`#isFresh`), and an LRU with TTLs arms a
    // timer on reads to cache its clock, for every hit. An expired entry stays until it is replaced or evicted.
    this.#local?.set(key, entry);
  }

  #entryKey(hash: string): string {
    return `${this.#options.keyPrefix}entry:${hash}`;
  }

  #bypass(response: HTTPGraphQLResponse): HTTPGraphQLResponse {
    this.#options.metrics.request('bypass');
    return withCacheHeaders(response, 'BYPASS');
  }

  #parse(query: string): ParsedQuery | false {
    const known = this.#parsed.get(query);
    if (known !== undefined) return known;
    let parsed: ParsedQuery | false = false;
    if (query.length <= 100_000) {
      try {
        const document = parse(query);
        const tagged = usesReservedKeys(document) ? null : print(addEntityTagSelections(document, this.#options.schema));
        parsed = {
          normalized: print(document),
          tagged,
          locations: tagged === null ? null : sourceLocationMap(document, tagged),
          operations: operationsOf(document),
          keys: new LRUCache({ max: KEYS_PER_QUERY }),
        };
      } catch {
        // A syntax error: Apollo answers it.
      }
    }
    this.#parsed.set(query, parsed);
    return parsed;
  }
}

/** The request's cache keys, from the query's memo when the same request was seen before. */
function keysOf(parsed: ParsedQuery, body: GraphQLBody, accept: string, identity: Identity): ResponseCacheKeys {
  const scope = identity.userId ? `${identity.userId}\u0000${identity.roles.join(',')}` : '';
  const memo = `${body.operationName ?? ''}\u0000${JSON.stringify(body.variables ?? null)}\u0000${accept}\u0000${scope}`;
  let keys = parsed.keys.get(memo);
  if (!keys) {
    keys = responseCacheKeys(
      { normalizedQuery: parsed.normalized, operationName: body.operationName ?? null, variables: body.variables ?? null, accept },
      identity,
    );
    parsed.keys.set(memo, keys);
  }
  return keys;
}

/** A shared-key entry only if PUBLIC: the shared key never serves PRIVATE data, whatever was stored under it. */
function publicOnly(entry: CachedResponse | undefined): CachedResponse | undefined {
  return entry?.scope === 'PUBLIC' ? entry : undefined;
}

/**
 * The single operation of a JSON POST body, or null for what the cache leaves to Apollo: batches, GET, and persisted
 * queries (their hash must match the text Apollo runs, which the entity keys change).
 */
function cacheableBodyOf(body: unknown): GraphQLBody | null {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return null;
  const { query, operationName, variables, extensions } = body as Record<string, unknown>;
  if (typeof query !== 'string') return null;
  if (extensions !== null && typeof extensions === 'object' && 'persistedQuery' in extensions) return null;
  if (operationName != null && typeof operationName !== 'string') return null;
  if (variables != null && (typeof variables !== 'object' || Array.isArray(variables))) return null;
  return { query, operationName, variables: variables as Record<string, unknown> | null | undefined };
}

function operationsOf(document: DocumentNode): Map<string | null, OperationTypeNode> {
  const operations = new Map<string | null, OperationTypeNode>();
  const definitions = document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  for (const definition of definitions) operations.set(definition.name?.value ?? null, definition.operation);
  if (definitions.length === 1) operations.set(null, definitions[0]!.operation);
  return operations;
}

function withCacheHeaders(response: HTTPGraphQLResponse, result: 'HIT' | 'MISS' | 'BYPASS'): HTTPGraphQLResponse {
  response.headers.set('x-cache', result);
  return response;
}

function hitResponse(entry: CachedResponse): HTTPGraphQLResponse {
  return { status: 200, headers: new HeaderMap(hitHeaders(entry)), body: { kind: 'complete', string: entry.body } };
}

/**
 * The headers of a hit, in the order they are sent, by the full path and the fast path alike: `age` since the entry
 * was stored, and a `cache-control` max-age counting down from the entry's.
 */
export function hitHeaders(entry: CachedResponse, now = Date.now()): [string, string][] {
  const ageSeconds = Math.max(0, Math.floor((now - entry.storedAt) / 1000));
  return [
    ['content-type', entry.contentType],
    ['cache-control', `max-age=${Math.max(0, entry.maxAge - ageSeconds)}, ${entry.scope.toLowerCase()}`],
    ['age', String(ageSeconds)],
    ['x-cache', 'HIT'],
  ];
}
