import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { SetContextLink } from '@apollo/client/link/context';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { generatePersistedQueryIdsFromManifest } from '@apollo/persisted-query-lists';
import { currentToken } from '../auth/token-store';

/**
 * The app's one Apollo Client. Every operation goes out by the id it has in the persisted-operations manifest built
 * from this app's sources (`npm run manifest -w web`), so a router in allow-list mode (`PERSISTED_QUERIES_ONLY`)
 * runs everything the app does and nothing else. The manifest is loaded on the first operation, in its own chunk,
 * so its text does not weigh on the first render.
 */
export function createApolloClient(graphqlUrl = '/graphql'): ApolloClient {
  const persisted = new PersistedQueryLink(generatePersistedQueryIdsFromManifest({ loadManifest: () => import('../../persisted-query-manifest.json') }));
  const auth = new SetContextLink((prevContext) => {
    const token = currentToken();
    return token ? { headers: { ...(prevContext.headers as Record<string, string> | undefined), authorization: `Bearer ${token}` } } : {};
  });
  return new ApolloClient({
    link: ApolloLink.from([auth, persisted, new HttpLink({ uri: graphqlUrl })]),
    cache: new InMemoryCache({
      typePolicies: {
        Query: { fields: { searchMovies: { keyArgs: ['query'] }, searchPeople: { keyArgs: ['query'] } } },
        CastCredit: { keyFields: false },
        Stream: { keyFields: false },
      },
    }),
  });
}
