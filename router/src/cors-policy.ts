import type { IncomingMessage, ServerResponse } from 'node:http';

/** Headers a browser may send cross-origin: JSON bodies, tokens, Apollo's CSRF preflight header, request ids. */
const ALLOWED_HEADERS = 'authorization, content-type, apollo-require-preflight, x-apollo-operation-name, x-request-id';

/**
 * The router's `onRequest` hook: `X-Content-Type-Options: nosniff` on every response, and CORS for the GraphQL
 * endpoint limited to the configured origins. An allowed origin gets its own name back (never `*`) and preflights
 * are answered here; any other origin gets no CORS header, so browsers keep the response from the page that asked.
 * Nothing relies on cookies, so credentials are never allowed. Behind this, a simple cross-site request that a
 * browser sends without a preflight can only run a query, anonymously (see `json-only-posts.ts`).
 */
export function corsPolicy(options: { origins: readonly string[]; graphqlPath: string }) {
  const allowed = new Set(options.origins);
  return (req: IncomingMessage, res: ServerResponse, url: URL): boolean => {
    res.setHeader('x-content-type-options', 'nosniff');
    if (url.pathname !== options.graphqlPath || allowed.size === 0) return false;
    res.setHeader('vary', 'origin');
    const origin = req.headers.origin;
    const permitted = origin !== undefined && allowed.has(origin);
    if (permitted) res.setHeader('access-control-allow-origin', origin);
    if (req.method !== 'OPTIONS' || !req.headers['access-control-request-method']) return false;
    if (permitted) {
      res.setHeader('access-control-allow-methods', 'GET, POST');
      res.setHeader('access-control-allow-headers', ALLOWED_HEADERS);
      res.setHeader('access-control-max-age', '600');
    }
    res.writeHead(204).end();
    return true;
  };
}
