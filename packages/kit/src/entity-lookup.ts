import { parseIntegerId, tryParseIntegerId } from './entity-id.js';
import { notFound } from './error-codes.js';

/** What the lookups need of a loader of entities by integer id (a `createEntityLoader` DataLoader). */
export interface IntegerIdLoader<V> {
  load(id: number): Promise<V | null>;
}

/**
 * The entity a root field names by id (`movie(id:)`, `person(id:)`): a malformed id is BAD_USER_INPUT, an unknown one
 * NOT_FOUND, so clients tell "no such thing" from "wrong question" by code.
 */
export async function loadOrNotFound<V>(loader: IntegerIdLoader<V>, typename: string, id: string): Promise<V> {
  const entity = await loader.load(parseIntegerId(id));
  if (entity === null) throw notFound(typename, id);
  return entity;
}

/**
 * The entity of a federation reference (`__resolveReference`), or null for an id that cannot exist: the router
 * then gets null for that entity, not an error for the whole batch.
 */
export function loadReference<V>(loader: IntegerIdLoader<V>, id: unknown): Promise<V | null> | null {
  const key = tryParseIntegerId(id);
  return key === null ? null : loader.load(key);
}
