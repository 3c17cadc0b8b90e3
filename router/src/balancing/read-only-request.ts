const QUERY_KEY = '"query":"';
/** The operation's first token, after whitespace (raw, or escaped as `\n`, `\r`, `\t` inside the JSON string). */
const LEADING_QUERY = /^(?:[ \t,]|\\[nrt])*(?:query\b|\{)/;

/**
 * Whether a subgraph request body holds a query, which may safely be sent twice. Anything else (a mutation, or a
 * body this check cannot read) is treated as a write that must not be repeated once it may have reached a replica.
 *
 * It reads the JSON text rather than parsing it: the gateway's data source serialises `query` first, and the
 * operations it writes start with their keyword, so the first token tells the kind without copying a body that can
 * hold thousands of entity representations. `_entities` fetches that follow a mutation's root field are queries and
 * are retried like any other read.
 */
export function isReadOnlyRequest(body: unknown): boolean {
  if (typeof body !== 'string') return false;
  const start = body.indexOf(QUERY_KEY);
  if (start < 0) return false;
  return LEADING_QUERY.test(body.slice(start + QUERY_KEY.length, start + QUERY_KEY.length + 64));
}
