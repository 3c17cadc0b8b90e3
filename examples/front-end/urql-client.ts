// urql 6 against the router: the setup of README "Use it from a front-end" as a function, run by
// test/e2e/graphql-clients.e2e.ts (which also runs the README snippet itself). Needs `npm install @urql/core graphql` (and `@urql/exchange-persisted`).
import { Client, cacheExchange, fetchExchange } from '@urql/core';
import { persistedExchange } from '@urql/exchange-persisted';

/**
 * A client for the graph at `url` with urql's defaults: queries go as GET (the router runs them without a preflight
 * header), mutations as JSON POST. `getToken` returns the signed-in user's token or null. With `persistedQueries`,
 * operations go by their SHA-256 first (as GET) and their text only once.
 */
export function createUrqlClient(url: string, getToken: () => string | null, options: { persistedQueries?: boolean } = {}): Client {
  return new Client({
    url,
    exchanges: options.persistedQueries ? [cacheExchange, persistedExchange(), fetchExchange] : [cacheExchange, fetchExchange],
    fetchOptions: () => {
      const token = getToken();
      return token ? { headers: { authorization: `Bearer ${token}` } } : {};
    },
  });
}
