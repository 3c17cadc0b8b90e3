import { closeGracefully, listen, writeIdentity, type Identity, type SubgraphServer } from '@cinema/kit';
import type { GraphQLResponse } from './graphql-client.js';

export interface RunningSubgraph {
  /** Base URL, e.g. `http://127.0.0.1:41234`; GraphQL is at `${url}/graphql`. */
  url: string;
  close(): Promise<void>;
}

/** Listens on a port the OS picks, in this process, for tests that talk to one subgraph without the router. */
export async function startSubgraph(subgraph: SubgraphServer): Promise<RunningSubgraph> {
  const port = await listen(subgraph.server, 0);
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      await closeGracefully(subgraph.server, 1_000);
      await subgraph.stop();
    },
  };
}

/**
 * Posts an operation straight to a subgraph, with the identity headers the router would set after verifying a
 * token (none for an anonymous request).
 */
export async function querySubgraph<T = any>(url: string, query: string, variables?: Record<string, unknown>, identity?: Identity): Promise<GraphQLResponse<T>> {
  const headers = new Headers({ 'content-type': 'application/json' });
  if (identity) writeIdentity(headers, identity);
  const response = await fetch(`${url}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  return { status: response.status, body: (await response.json()) as GraphQLResponse<T>['body'], headers: response.headers };
}
