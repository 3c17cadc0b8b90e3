import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { extractEntityTags } from './extract-entity-tags.js';
import type { ResponseCapture } from './response-capture.js';
import { mapErrorLocations } from './source-locations.js';

/** The part of a router context the plugin reads. */
export interface CapturingContext extends BaseContext {
  responseCapture?: ResponseCapture;
}

/**
 * The Apollo side of the response cache: as each response leaves, it records the cache policy Apollo computed from the subgraphs' `cache-control`
 * headers (the gateway's data source folds each subgraph's hint into `overallCachePolicy`), whether there were
 * errors, and the entity tags, removing the keys the router added (and mapping error locations back to the client's text) so the client gets
 * exactly what it asked for.
 */
export function responseCapturePlugin(): ApolloServerPlugin<CapturingContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response, overallCachePolicy }) {
          const capture = contextValue.responseCapture;
          if (!capture) return;
          capture.completed = true;
          if (response.body.kind !== 'single') {
            capture.hasErrors = true;
            return;
          }
          const result = response.body.singleResult;
          if (result.errors && capture.sourceLocations) result.errors = mapErrorLocations(result.errors, capture.sourceLocations);
          capture.hasErrors = (result.errors?.length ?? 0) > 0;
          if (result.data) extractEntityTags(result.data, capture.tags);
          const policy = overallCachePolicy.policyIfCacheable();
          capture.policy = policy ? { maxAge: policy.maxAge, scope: policy.scope } : null;
        },
      };
    },
  };
}
