import type { ApolloServerPlugin, BaseContext, HTTPGraphQLRequest } from '@apollo/server';
import { ErrorCode } from './error-codes.js';
import type { ObservedOperation, ObservedRequest } from './observe-http-request.js';

/**
 * The observation of each request handed to Apollo, keyed by its headers: Apollo passes them on as they are to every
 * operation, a batch's included (the request object is copied per operation, the context cloned).
 */
const observedRequests = new WeakMap<HTTPGraphQLRequest['headers'], ObservedRequest>();
/** A GraphQL name; a client's `operationName` that is not one is not worth logging. */
const OPERATION_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,127}$/;

/** Ties a request handed to Apollo to its observation, so {@link observeGraphQLOperations} can find it. */
export function linkObservedRequest(request: HTTPGraphQLRequest, observed: ObservedRequest): void {
  observedRequests.set(request.headers, observed);
}

/**
 * An Apollo Server plugin that tells a request's observation which operations it ran (name and type) and the codes of
 * the errors in their responses, for the access log line and the GraphQL metrics. The HTTP layer cannot know either
 * without parsing the document or the response again; Apollo already has both.
 */
export function observeGraphQLOperations<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart({ request }) {
      const observed = request.http && observedRequests.get(request.http.headers);
      if (!observed) return;
      // Stays `unknown` when the document does not parse or validate.
      const operation: ObservedOperation = { type: 'unknown', errorCodes: [] };
      if (request.operationName && OPERATION_NAME.test(request.operationName)) operation.name = request.operationName;
      observed.operations.push(operation);
      return {
        async didResolveOperation({ operation: definition, operationName }) {
          if (definition) operation.type = definition.operation;
          if (operationName) operation.name = operationName;
        },
        async didEncounterErrors({ errors }) {
          operation.errorCodes = errors.map((error) => {
            const code = error.extensions?.code;
            return typeof code === 'string' ? code : ErrorCode.INTERNAL_SERVER_ERROR;
          });
        },
      };
    },
  };
}
