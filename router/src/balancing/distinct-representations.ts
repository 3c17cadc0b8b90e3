import type { GraphQLFormattedError } from 'graphql';

/**
 * The representations of an `_entities` fetch with duplicates removed, and how to put the answer back in the
 * gateway's order. `@apollo/gateway` sends one representation per place an entity appears in the result so far, so
 * a deep query sends the same person or movie many times (one Q2 sent 7,787 representations, 3,791 distinct); the
 * subgraph would resolve each copy again.
 */
export interface DistinctRepresentations {
  /** The distinct representations as a JSON array, in order of first appearance. */
  json: string;
  /** How many were sent. */
  distinct: number;
  /** For each representation of the gateway's list, the index of its distinct copy; null when there were no duplicates. */
  positions: Int32Array | null;
}

/**
 * Removes duplicate representations. Two are the same when their JSON is: the gateway builds each from the same
 * selection (`requires` of the fetch), so equal entities serialise identically. Only the distinct ones are
 * serialised, in one `JSON.stringify` of the array; duplicates are found by {@link identityOf}, which for the usual
 * flat representation (`{__typename, id}`) is a string concatenation. Serialising every representation to compare
 * them was a sixth of the router's CPU on a deep query (7,787 representations).
 */
export function distinctRepresentations(representations: readonly unknown[]): DistinctRepresentations {
  const seen = new Map<string, number>();
  const distinct: unknown[] = [];
  const positions = new Int32Array(representations.length);
  for (let i = 0; i < representations.length; i++) {
    const representation = representations[i];
    const identity = identityOf(representation);
    let index = seen.get(identity);
    if (index === undefined) {
      index = distinct.length;
      seen.set(identity, index);
      distinct.push(representation);
    }
    positions[i] = index;
  }
  return { json: JSON.stringify(distinct), distinct: distinct.length, positions: distinct.length === representations.length ? null : positions };
}

/**
 * A string equal for two representations exactly when their JSON is equal. An object whose enumerable fields are
 * all strings, finite numbers or booleans gets `name, type, value` per field, in the order JSON writes them; field
 * names are GraphQL names (no control characters) and strings are length-prefixed, so the concatenation cannot be
 * read two ways. Anything else (nested objects, lists, null, non-objects) is identified by its JSON, which starts
 * with a character no GraphQL name starts with (`{`, `[`, `"`, a digit...), so the two kinds never meet.
 */
export function identityOf(representation: unknown): string {
  if (typeof representation !== 'object' || representation === null || Array.isArray(representation)) return JSON.stringify(representation) ?? 'undefined';
  let identity = '';
  const fields = representation as Record<string, unknown>;
  for (const name in fields) {
    const value = fields[name];
    let text: string;
    if (typeof value === 'string') text = `${name}\u0001s${value.length}\u0001${value}`;
    else if (typeof value === 'number' && Number.isFinite(value)) text = `${name}\u0001n${value}\u0001`;
    else if (typeof value === 'boolean') text = `${name}\u0001b${value}\u0001`;
    else if (value === undefined) continue; // JSON leaves it out
    else return JSON.stringify(representation);
    identity += text;
  }
  return identity;
}

/** A subgraph's answer to an `_entities` fetch, as parsed JSON. */
export interface EntitiesResponse {
  data?: { _entities?: unknown } | null;
  errors?: GraphQLFormattedError[];
  [key: string]: unknown;
}

/**
 * Puts an answer to the distinct representations back in the order and length the gateway asked for: every
 * position gets the entity of its distinct copy (the same object: equal representations get equal answers), and
 * an error at `['_entities', i, ...]` is repeated for every position whose copy is `i`, so the gateway places it
 * under each field it belongs to. Other errors are left as they are. An answer that does not match what was sent
 * (no `_entities` list, or one of another length) is returned untouched for the gateway to report.
 */
export function expandEntities<T extends EntitiesResponse>(response: T, sent: DistinctRepresentations): T {
  const { positions } = sent;
  if (!positions) return response;
  const entities = response.data?._entities;
  if (response.data && !(Array.isArray(entities) && entities.length === sent.distinct)) return response;
  const expanded: T = { ...response };
  if (Array.isArray(entities)) {
    const all = new Array<unknown>(positions.length);
    for (let i = 0; i < positions.length; i++) all[i] = entities[positions[i]!];
    expanded.data = { ...response.data, _entities: all };
  }
  if (response.errors?.some(isEntityError)) expanded.errors = expandErrors(response.errors, positions, sent.distinct);
  return expanded;
}

function isEntityError(error: GraphQLFormattedError): boolean {
  return error.path?.[0] === '_entities' && typeof error.path[1] === 'number';
}

function expandErrors(errors: readonly GraphQLFormattedError[], positions: Int32Array, distinct: number): GraphQLFormattedError[] {
  // Positions of each distinct representation, built only when some error names one.
  const holders: number[][] = Array.from({ length: distinct }, () => []);
  for (let i = 0; i < positions.length; i++) holders[positions[i]!]!.push(i);
  const out: GraphQLFormattedError[] = [];
  for (const error of errors) {
    const index = isEntityError(error) ? (error.path![1] as number) : undefined;
    const at = index === undefined ? undefined : holders[index];
    if (!at) {
      out.push(error);
      continue;
    }
    const rest = error.path!.slice(2);
    for (const position of at) out.push({ ...error, path: ['_entities', position, ...rest] });
  }
  return out;
}
