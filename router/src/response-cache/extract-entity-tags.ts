import { ENTITY_ID_KEY, ENTITY_TYPENAME_KEY } from './entity-tag-selections.js';

/**
 * Collects the entities a response contains as tags (`Movie:42`) and removes the keys the router added to learn
 * them ({@link addEntityTagSelections}), in place, so what is sent and cached is exactly what the client asked for.
 */
export function extractEntityTags(data: unknown, tags: Set<string>): void {
  if (Array.isArray(data)) {
    for (const item of data) extractEntityTags(item, tags);
    return;
  }
  if (data === null || typeof data !== 'object') return;
  const object = data as Record<string, unknown>;
  const typename = object[ENTITY_TYPENAME_KEY];
  const id = object[ENTITY_ID_KEY];
  if (typename !== undefined) delete object[ENTITY_TYPENAME_KEY];
  if (id !== undefined) delete object[ENTITY_ID_KEY];
  if (typeof typename === 'string' && (typeof id === 'string' || typeof id === 'number')) tags.add(`${typename}:${id}`);
  for (const value of Object.values(object)) if (value !== null && typeof value === 'object') extractEntityTags(value, tags);
}
