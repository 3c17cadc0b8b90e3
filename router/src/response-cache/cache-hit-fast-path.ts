import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { parseJsonBody, sendGraphQLError, sendRefusal, type AdmissionRequest, type RequestRefusal } from '@cinema/kit/graphql-http';
import type { ObservedRequest } from '@cinema/kit/http';
import type { Logger } from '@cinema/kit/logging';
import { LRUCache } from 'lru-cache';
import { hitHeaders, type HitLookup, type ResponseCache } from './response-cache.js';
import type { CachedResponse } from './response-store.js';

export interface CacheHitFastPathOptions {
  cache: ResponseCache;
  /** Path of the GraphQL endpoint; only a POST to exactly this path is looked at. */
  graphqlPath: string;
  /** Bodies larger than this (or of no declared length) go the full way without being read here. */
  maxBodyBytes: number;
  /** Starts the request's id, access log line and HTTP metrics, as the generic server does for every request. */
  observe: (req: IncomingMessage, res: ServerResponse) => ObservedRequest;
  /** The server's `onRequest` (CORS and security headers), run before a hit is written. */
  onRequest: (req: IncomingMessage, res: ServerResponse, url: URL) => boolean;
  /** The server's admission (rate limit, allow-list, query limits), applied to hits as to every request. */
  admit: (req: IncomingMessage, request: AdmissionRequest) => Promise<RequestRefusal | null>;
  /**
   * Whether `admit` answers a JSON POST by its body alone (no rate limit: see `RouterAdmission.byBodyAlone`): a body
   * admitted once is then not admitted again on every hit. False: every hit is admitted.
   */
  admissionByBodyAlone: boolean;
  logger: Logger;
}

/**
 * Bodies up to this size are read here; larger ones are no query a cache hit is worth a second look for (a cached
 * query's body is its text and variables, a few hundred bytes to a few KB).
 */
const FAST_PATH_BODY_BYTES = 64 * 1024;

/**
 * Bodies up to this size are remembered, by their exact bytes, with what they parse to: the same request sent again
 * (a client polling, a page many users open) costs no JSON parse, no depth scan and no key derivation. 2,000 of them
 * hold at most 8 MB.
 */
const REMEMBERED_BODY_BYTES = 4 * 1024;
const REMEMBERED_BODIES = 2_000;

/** A body already read once: its JSON, and what the cache needs of it (null: not one the cache could answer). */
interface KnownBody {
  parsed: unknown;
  lookup: HitLookup | null;
  /** Set once admission let it through, when admission depends on the body alone (`admissionByBodyAlone`). */
  admitted: boolean;
}

/**
 * Answers response cache hits before the generic GraphQL HTTP server (kit's `createGraphQLHttpServer`) sees them:
 * no header map, no Apollo request object, no interceptor chain, the stored bytes written with their headers. Every
 * other request (and a request this path reads but cannot answer) goes on to the server's own request listener,
 * with the body it already read handed back to it, so nothing about misses, mutations, GET, batches or persisted
 * queries changes.
 *
 * A hit is what {@link ResponseCache.findHit} says it is (same keys, same personal/shared rule, same tag check in
 * Redis after the request arrived), and it still passes what every request passes before it is answered: the
 * request id, access log and HTTP metrics (`observe`), CORS and security headers (`onRequest`), and admission (rate
 * limit, allow-list, query limits). Admission runs once the hit is known, so a request that falls through is admitted
 * by the full path once, not twice. The response is the one the full path sends, header for header.
 *
 * Why: measured by CPU per request, a hit on the full path cost about four times a bare Node server writing the same
 * bytes, most of it in per-request machinery a hit does not need (docs/benchmarks/response-cache.md).
 */
export function serveCacheHitsFirst(server: Server, options: CacheHitFastPathOptions): void {
  const listeners = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  if (listeners.length !== 1) throw new Error(`the response cache fast path expects one request listener, found ${listeners.length}`);
  const fullPath = listeners[0]!;
  server.removeListener('request', fullPath);
  const limit = Math.min(options.maxBodyBytes, FAST_PATH_BODY_BYTES);
  const known = new LRUCache<string, KnownBody | false>({ max: REMEMBERED_BODIES });
  // Only a POST to exactly this path gets here, so its URL is always this one (read, never changed, by the hooks).
  const url = new URL(options.graphqlPath, 'http://localhost');
  const context: HitContext = { ...options, known, url };

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const declared = Number(req.headers['content-length']);
    if (
      req.method !== 'POST' ||
      req.url !== options.graphqlPath ||
      !(declared > 0 && declared <= limit) ||
      !isJson(req.headers['content-type']) ||
      req.headers['cache-control'] !== undefined
    ) {
      fullPath(req, res);
      return;
    }
    void serveHit(req, res, context).then(
      (bytes) => {
        if (bytes === null) return;
        handBack(req, bytes);
        fullPath(req, res);
      },
      (error: unknown) => {
        // A client that went away while its body was read has nothing left to answer; anything else is a bug.
        if (req.complete) options.logger.error({ err: error }, 'unhandled error while serving a response cache hit');
        if (!res.headersSent && !res.destroyed) sendGraphQLError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
        else res.destroy();
      },
    );
  });
}

/**
 * Entry bodies as bytes, encoded once per entry this process holds rather than on every hit (the same bytes Node
 * would encode from the text, with the same `content-length`).
 */
const encodedBodies = new WeakMap<CachedResponse, Buffer>();

function encodedBodyOf(entry: CachedResponse): Buffer {
  let bytes = encodedBodies.get(entry);
  if (!bytes) encodedBodies.set(entry, (bytes = Buffer.from(entry.body, 'utf8')));
  return bytes;
}

interface HitContext extends CacheHitFastPathOptions {
  known: LRUCache<string, KnownBody | false>;
  url: URL;
}

/** Each held entry's hit headers, remade only when their age (whole seconds) moves on. */
const entryHeaders = new WeakMap<CachedResponse, { at: number; headers: [string, string][] }>();

function headersOf(entry: CachedResponse): [string, string][] {
  const now = Date.now();
  const known = entryHeaders.get(entry);
  // Same whole second since the entry was stored: the same `age` and `cache-control` as computed at `known.at`.
  if (known && Math.floor((now - entry.storedAt) / 1000) === Math.floor((known.at - entry.storedAt) / 1000)) return known.headers;
  const headers = hitHeaders(entry, now);
  entryHeaders.set(entry, { at: now, headers });
  return headers;
}

/** Answers the request if it is a hit; otherwise resolves with the body it read, for the full path. */
async function serveHit(req: IncomingMessage, res: ServerResponse, context: HitContext): Promise<Buffer | null> {
  const bytes = await readSmallBody(req);
  const body = knownBody(bytes, context);
  // Malformed, too deep, or no query the cache answers: the full path answers it as usual.
  if (!body || !body.lookup) return bytes;
  const entry = await context.cache.findHit(req, body.lookup, req.headers.accept ?? '');
  if (!entry) return bytes;

  context.observe(req, res);
  if (context.onRequest(req, res, context.url)) return null;
  if (!body.admitted) {
    const refusal = await context.admit(req, { url: context.url, bytes, body: () => body.parsed });
    if (refusal) {
      sendRefusal(res, refusal);
      return null;
    }
    // Only an admission that read nothing but the body is remembered; a refusal is never remembered.
    if (context.admissionByBodyAlone) body.admitted = true;
  }
  for (const [name, value] of headersOf(entry)) res.setHeader(name, value);
  context.cache.countFastPathHit();
  res.statusCode = 200;
  res.end(encodedBodyOf(entry));
  return null;
}

/**
 * What a body parses to, from memory when the same bytes were read before (false: not JSON the full path would
 * accept). The bytes themselves are the key (as latin1, one character per byte, so two bodies share a key only when
 * they are byte for byte the same); the parsed JSON is shared by the requests that sent them and never changed.
 */
function knownBody(bytes: Buffer, context: HitContext): KnownBody | false {
  const remember = bytes.length <= REMEMBERED_BODY_BYTES;
  const key = remember ? bytes.toString('latin1') : '';
  let body = remember ? context.known.get(key) : undefined;
  if (body === undefined) {
    try {
      const parsed = parseJsonBody(bytes.toString('utf8'));
      body = { parsed, lookup: context.cache.hitLookup(parsed), admitted: false };
    } catch {
      body = false;
    }
    if (remember) context.known.set(key, body);
  }
  return body;
}

/**
 * The body of a request whose declared length is within the fast path's bound (the HTTP parser holds the body to
 * that length). Read from events rather than by async iteration, which costs an iterator and a promise per chunk.
 */
function readSmallBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let first: Buffer | undefined;
    let chunks: Buffer[] | undefined;
    // `on`, not `once`: each event comes once at most, and `once` wraps every listener in one more closure.
    req.on('data', (chunk: Buffer) => {
      if (first === undefined) first = chunk;
      else (chunks ??= [first]).push(chunk);
    });
    req.on('end', () => resolve(chunks ? Buffer.concat(chunks) : (first ?? Buffer.alloc(0))));
    // A client that leaves before its body is complete destroys the request with an error ('aborted'), which is
    // all that can go wrong here; the error object is Node's, not made per request.
    req.on('error', reject);
  });
}

/** `application/json`, with or without parameters (what the router's admission accepts for a POST). */
function isJson(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const semicolon = contentType.indexOf(';');
  return (semicolon < 0 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase() === 'application/json';
}

/**
 * Gives the full path the body this path already consumed: the generic server reads a body by async iteration of
 * the request (`readBody`), which an own `Symbol.asyncIterator` answers with the same bytes. The request's
 * `content-length` is unchanged and still true.
 */
function handBack(req: IncomingMessage, bytes: Buffer): void {
  Object.defineProperty(req, Symbol.asyncIterator, {
    configurable: true,
    value: async function* replay(): AsyncGenerator<Buffer> {
      yield bytes;
    },
  });
}
