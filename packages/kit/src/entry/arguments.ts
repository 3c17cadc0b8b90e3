/** `@cinema/kit/arguments`: resolver arguments (ids, page sizes, cursors, search text), lookups by id and Relay pages; loads graphql. */
export { encodeCursor, decodeCursor } from '../cursor.js';
export { parseIntegerId, tryParseIntegerId, parsePageSize } from '../entity-id.js';
export { parseSearchText } from '../search-text.js';
export { loadOrNotFound, loadReference, type IntegerIdLoader } from '../entity-lookup.js';
export { connectionFromRows, type Connection } from '../relay-connection.js';
