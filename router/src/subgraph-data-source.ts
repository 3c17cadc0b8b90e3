import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { CHANGED_ENTITIES_EXTENSION, REQUEST_ID_HEADER, writeIdentity } from '@cinema/kit';
import type { RouterContext } from './router-context.js';

type ReceivedResponse = Parameters<NonNullable<RemoteGraphQLDataSource<RouterContext>['didReceiveResponse']>>[0];

/**
 * How the router talks to one subgraph. It forwards the verified identity (never the client's raw headers), so a
 * subgraph trusts identity only as the router established it, and the request id, so one request's log lines can be
 * found in every service.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<RouterContext> {
  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<RouterContext>): void {
    const headers = request.http?.headers;
    if (!headers) return;
    writeIdentity(headers, 'identity' in context && context.identity ? context.identity : { userId: null, roles: [] });
    if ('requestId' in context && context.requestId) headers.set(REQUEST_ID_HEADER, context.requestId);
  }

  /** Hands the entities a subgraph says it changed to the response cache, which invalidates them. */
  override didReceiveResponse({ response, context }: ReceivedResponse): ReceivedResponse['response'] {
    const changed = response.extensions?.[CHANGED_ENTITIES_EXTENSION];
    const capture = 'responseCapture' in context ? context.responseCapture : undefined;
    if (capture && Array.isArray(changed)) for (const tag of changed) if (typeof tag === 'string') capture.tags.add(tag);
    return response;
  }
}
