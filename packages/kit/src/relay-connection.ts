/** A Relay connection page, as every paginated field of the platform answers it. */
export interface Connection<N> {
  edges: { cursor: string; node: N }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

/**
 * Builds a forward page from `limit + 1` rows read after the client's cursor: the extra row only says that there is
 * a next page, and is not returned. `hasPreviousPage` is true whenever the client passed a cursor, as keyset
 * pagination cannot tell more cheaply.
 */
export function connectionFromRows<N>(rows: readonly N[], limit: number, cursorOf: (node: N) => string, hasPreviousPage: boolean): Connection<N> {
  const edges = rows.slice(0, limit).map((node) => ({ cursor: cursorOf(node), node }));
  return {
    edges,
    pageInfo: { hasNextPage: rows.length > limit, hasPreviousPage, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null },
  };
}
