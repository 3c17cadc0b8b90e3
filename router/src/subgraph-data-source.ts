import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { USER_ID_HEADER } from '@cinema/kit';
import type { RouterContext } from './router-context.js';

/**
 * How the router talks to one subgraph. It forwards the verified user id (never the client's raw headers), so a
 * subgraph trusts identity only as the router established it.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<RouterContext> {
  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<RouterContext>): void {
    const headers = request.http?.headers;
    if (!headers) return;
    headers.delete(USER_ID_HEADER);
    if ('userId' in context && context.userId) headers.set(USER_ID_HEADER, context.userId);
  }
}
