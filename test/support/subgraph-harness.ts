import { DEVELOPMENT_SUBGRAPH_SECRET } from '@cinema/kit/config';
import { writeIdentity, type Identity } from '@cinema/kit/identity';
import { closeGracefully, listen } from '@cinema/kit/process';
import { SIGNATURE_HEADER, signRequest } from '@cinema/kit/signing';
import type { SubgraphServer } from '@cinema/kit/subgraph';
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
 * Posts an operation straight to a subgraph as the router would: with the identity headers it sets after verifying a
 * token (none for an anonymous request) and its signature, made with the development secret the tests' subgraphs use.
 */
export async function querySubgraph<T = any>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  identity?: Identity,
): Promise<GraphQLResponse<T>> {
  const identityHeaders = new Headers();
  if (identity) writeIdentity(identityHeaders, identity);
  const body = JSON.stringify({ query, variables });
  const headers = { 'content-type': 'application/json', ...Object.fromEntries(identityHeaders) };
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { ...headers, [SIGNATURE_HEADER]: routerSignature('POST', '/graphql', headers, body) },
    body,
  });
  return { status: response.status, body: (await response.json()) as GraphQLResponse<T>['body'], headers: response.headers };
}

/** GETs an internal route of a subgraph (the catalogue feed) with the router's signature, as another service would. */
export function getSigned(url: string): Promise<Response> {
  const target = new URL(url);
  return fetch(target, { headers: { [SIGNATURE_HEADER]: routerSignature('GET', `${target.pathname}${target.search}`, {}, null) } });
}

/** The signature header value the router would send, with the development secret the tests' subgraphs use. */
export function routerSignature(method: string, path: string, headers: Record<string, string>, body: string | null): string {
  return signRequest(DEVELOPMENT_SUBGRAPH_SECRET, { method, path, headers, body });
}
