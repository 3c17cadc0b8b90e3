/** What the router's admission needs of one operation in a request: its text, when the client sent it. */
export interface RequestedOperation {
  query?: string;
  /** The operation the client picked in a document of several, as sent (Apollo checks its type). */
  operationName?: unknown;
}

/**
 * The operations of a GraphQL request as the client sent them, before Apollo reads it: one for a GET (from the
 * query string) or a JSON object, one per element for a batch. Malformed entries count as operations without text;
 * Apollo refuses them with its own error.
 */
export function requestedOperations(method: string | undefined, url: URL, body: unknown): RequestedOperation[] {
  if (method === 'GET') {
    const query = url.searchParams.get('query');
    return [query === null ? {} : { query, operationName: url.searchParams.get('operationName') ?? undefined }];
  }
  return (Array.isArray(body) ? body : [body]).map((entry): RequestedOperation => {
    const { query, operationName } = typeof entry === 'object' && entry !== null ? (entry as { query?: unknown; operationName?: unknown }) : {};
    return typeof query === 'string' ? { query, operationName } : {};
  });
}
