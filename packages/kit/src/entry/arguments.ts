/** `@cinema/kit/arguments`: validation of resolver arguments (ids, page sizes, cursors, search text); loads graphql. */
export { encodeCursor, decodeCursor } from '../cursor.js';
export { parseIntegerId, tryParseIntegerId, parsePageSize } from '../entity-id.js';
export { parseSearchText } from '../search-text.js';
