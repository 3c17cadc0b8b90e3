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
 * selection (`requires` of the fetch), so equal entities serialise identically. Each distinct representation is
 * serialised once, and the request body is assembled from those strings.
 *
 * The usual representation, `{__typename, id}` as the gateway builds it, is looked up by its id in a map per type
 * and never serialised whole: `@apollo/gateway` builds representations as null-prototype objects, which V8 keeps in
 * dictionary mode, where enumerating the fields (as `JSON.stringify` does) costs about a microsecond, and
 * serialising every representation of a deep query to compare them was a sixth of the router's CPU (Q2 sends
 * 7,787). Any other representation is compared by its JSON.
 */
export function distinctRepresentations(representations: readonly unknown[]): DistinctRepresentations {
  const byJson = new Map<string, number>();
  const keyed: KeyedTypes = new Map();
  const parts: string[] = [];
  const positions = new Int32Array(representations.length);
  for (let i = 0; i < representations.length; i++) {
    const representation = representations[i];
    const entities = keyedEntitiesOf(representation, keyed);
    let index: number | undefined;
    if (entities) {
      const { id } = representation as { id: string | number };
      index = entities.ids.get(id);
      if (index === undefined) {
        index = parts.length;
        entities.ids.set(id, index);
        parts.push(`${entities.prefix}${JSON.stringify(id)}}`);
      }
    } else {
      const text = JSON.stringify(representation) ?? 'null';
      index = byJson.get(text);
      if (index === undefined) {
        index = parts.length;
        byJson.set(text, index);
        parts.push(text);
      }
    }
    positions[i] = index;
  }
  return { json: `[${parts.join(',')}]`, distinct: parts.length, positions: parts.length === representations.length ? null : positions };
}

/** Representations of one type known by `id` alone: the start of their JSON, and the index of each id sent. */
interface KeyedEntities {
  prefix: string;
  /** A string id and a numeric one are different keys, as their JSON is different. */
  ids: Map<string | number, number>;
}

/** Per `__typename` of one fetch: its keyed entities, or null when its representations hold more than `id`. */
type KeyedTypes = Map<string, KeyedEntities | null>;

/**
 * The keyed entities a representation belongs to, when it is a gateway-built (null-prototype) `{__typename, id}`
 * with a string or finite number id. The fields are enumerated once per type: the gateway builds every
 * representation of a fetch from the same `requires` selection, `... on T { __typename <key and required fields> }`,
 * so the type condition selects the same fields, in the same order, for every entity of type T, and an entity
 * missing one of them gets no `__typename` either and is not sent (`executeSelectionSet` in `@apollo/gateway`'s
 * executeQueryPlan).
 */
function keyedEntitiesOf(representation: unknown, keyed: KeyedTypes): KeyedEntities | undefined {
  if (typeof representation !== 'object' || representation === null || Object.getPrototypeOf(representation) !== null) return undefined;
  const { __typename: typename, id } = representation as Record<string, unknown>;
  if (typeof typename !== 'string' || !(typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id)))) return undefined;
  let entities = keyed.get(typename);
  if (entities === undefined) {
    const names: string[] = [];
    for (const name in representation) names.push(name);
    entities =
      names.length === 2 && names[0] === '__typename' && names[1] === 'id'
        ? { prefix: `{"__typename":${JSON.stringify(typename)},"id":`, ids: new Map() }
        : null;
    keyed.set(typename, entities);
  }
  return entities ?? undefined;
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
