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
 * selection (`requires` of the fetch), so equal entities serialise identically. Each representation is serialised
 * once, and the request body is assembled from those strings rather than serialised a second time.
 */
export function distinctRepresentations(representations: readonly unknown[]): DistinctRepresentations {
  const seen = new Map<string, number>();
  const parts: string[] = [];
  const positions = new Int32Array(representations.length);
  for (let i = 0; i < representations.length; i++) {
    const text = JSON.stringify(representations[i]);
    let index = seen.get(text);
    if (index === undefined) {
      index = parts.length;
      seen.set(text, index);
      parts.push(text);
    }
    positions[i] = index;
  }
  return { json: `[${parts.join(',')}]`, distinct: parts.length, positions: parts.length === representations.length ? null : positions };
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
