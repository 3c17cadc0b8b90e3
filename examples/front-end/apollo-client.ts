// Apollo Client 4 against the router: the setup of README "Use it from a front-end" as a function, run by
// test/e2e/graphql-clients.e2e.ts (which also runs the README snippet itself). Needs `npm install @apollo/client graphql rxjs`.
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { SetContextLink } from '@apollo/client/link/context';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { sha256 } from './sha256.js';

/**
 * A client for the graph at `uri` (e.g. `http://127.0.0.1:4000/graphql`). `getToken` returns the signed-in user's
 * token (from `logIn`, or `npm run token -- <user-id>` in development), or null; it travels in `Authorization`,
 * never in a cookie. With `persistedQueries`, operations go by their SHA-256 first and their text only once.
 */
export function createApolloClient(uri: string, getToken: () => string | null, options: { persistedQueries?: boolean } = {}): ApolloClient {
  const auth = new SetContextLink((prevContext) => {
    const token = getToken();
    return { headers: { ...(prevContext.headers as Record<string, string> | undefined), ...(token ? { authorization: `Bearer ${token}` } : {}) } };
  });
  const links = [auth, ...(options.persistedQueries ? [new PersistedQueryLink({ sha256 })] : []), new HttpLink({ uri })];
  return new ApolloClient({ link: ApolloLink.from(links), cache: new InMemoryCache() });
}
