import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { writeIdentity } from '@cinema/kit';
import type { RouterContext } from './router-context.js';

/**
 * How the router talks to one subgraph. It forwards the verified identity (never the client's raw headers), so a
 * subgraph trusts identity only as the router established it.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<RouterContext> {
  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<RouterContext>): void {
    const headers = request.http?.headers;
    if (!headers) return;
    writeIdentity(headers, 'identity' in context && context.identity ? context.identity : { userId: null, roles: [] });
  }
}
