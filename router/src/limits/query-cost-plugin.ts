import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ErrorCode } from '@cinema/kit/errors';
import { GraphQLError } from 'graphql';
import { estimateCost } from './estimate-cost.js';
import type { QueryLimits } from './query-limits.js';

/**
 * The cost half of {@link QueryLimits}: once Apollo has validated the operation and its variables are known
 * (`didResolveOperation`), and before the gateway plans it or any subgraph is called, an operation whose estimated
 * cost is over `maxCost` is refused with 400 `QUERY_TOO_COMPLEX`, `extensions.cost` and `extensions.maxCost`.
 */
export function queryCostPlugin(limits: Pick<QueryLimits, 'maxCost' | 'assumedListSize'>): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return;
          const cost = estimateCost(schema, document, operation, { assumedListSize: limits.assumedListSize, variables: request.variables });
          if (cost <= limits.maxCost) return;
          throw new GraphQLError(`Query cost ${cost} exceeds the limit of ${limits.maxCost}: ask for fewer items (first/limit) or nest fewer lists`, {
            extensions: { code: ErrorCode.QUERY_TOO_COMPLEX, cost, maxCost: limits.maxCost, http: { status: 400 } },
          });
        },
      };
    },
  };
}
