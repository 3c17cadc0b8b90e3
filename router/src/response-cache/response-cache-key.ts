import { createHash } from 'node:crypto';
import type { Identity } from '@cinema/kit/identity';

/** Bumped when the key's ingredients or the stored entry's shape change, so old entries are never read. */
const KEY_VERSION = 'v1';

export interface ResponseCacheKeyInput {
  /** The operation as the router normalised it (`print` of the parsed document: no comments, canonical spacing). */
  normalizedQuery: string;
  operationName: string | null;
  variables: Record<string, unknown> | null;
  /** The client's `Accept` header, which picks the response's media type (only that choice enters the key). */
  accept: string;
}

/** The two keys a request may be answered from. */
export interface ResponseCacheKeys {
  /** For PUBLIC responses: the same for every caller. Also the single-flight key. */
  shared: string;
  /** For PRIVATE responses: only this caller's (one anonymous partition, one per user and role set). */
  personal: string;
  /** Who `personal` belongs to, e.g. `user:alice|editor` or `anonymous`. */
  scope: string;
}

/**
 * The cache keys of a request: a SHA-256 of the normalised operation, operation name, variables (with object keys
 * sorted, so `{a,b}` and `{b,a}` share an entry) and response media type, and for the personal key the caller. Anonymous
 * callers share one partition: what the subgraphs answer them cannot depend on who they are.
 */
export function responseCacheKeys(input: ResponseCacheKeyInput, identity: Identity): ResponseCacheKeys {
  const base = JSON.stringify([KEY_VERSION, input.normalizedQuery, input.operationName, canonicalJson(input.variables), mediaTypeOf(input.accept)]);
  const scope = identity.userId ? `user:${identity.userId}|${[...identity.roles].sort().join(',')}` : 'anonymous';
  return { shared: sha256(`${base}\npublic`), personal: sha256(`${base}\n${scope}`), scope };
}

/**
 * The media type Apollo will answer with, as far as it matters for the bytes: the GraphQL-over-HTTP type when the
 * client names it, plain JSON otherwise. Keying on the raw header would split one response over every client's
 * spelling of `Accept`.
 */
function mediaTypeOf(accept: string): string {
  return accept.includes('application/graphql-response+json') ? 'graphql-response+json' : 'json';
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}

function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) return item;
    return Object.fromEntries(Object.entries(item as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  });
}
