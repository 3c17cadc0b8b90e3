import type { ApolloServerPlugin, BaseContext } from '@apollo/server';

/**
 * The response extension in which a subgraph lists the entities a mutation changed (`["Movie:42"]`). The router
 * reads it to invalidate cached responses containing them, whatever the mutation's selection asked for, and never
 * passes subgraph extensions on to clients.
 */
export const CHANGED_ENTITIES_EXTENSION = 'changedEntities';

/** The part of a subgraph context write paths record their changes in. */
export interface ChangedEntitiesContext extends BaseContext {
  /** Tags of changed entities, `<__typename>:<id>`; the plugin sends them with the response. */
  changedEntities?: Set<string>;
}

/** The tag of an entity, as the router's response cache names it. */
export function entityTag(typename: string, id: string | number): string {
  return `${typename}:${id}`;
}

/**
 * Sends what write paths recorded in `context.changedEntities` as the {@link CHANGED_ENTITIES_EXTENSION} of the
 * response. Installed in every subgraph; responses without changes are untouched.
 */
export function changedEntitiesPlugin(): ApolloServerPlugin<ChangedEntitiesContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response }) {
          const changed = contextValue.changedEntities;
          if (!changed || changed.size === 0 || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          result.extensions = { ...result.extensions, [CHANGED_ENTITIES_EXTENSION]: [...changed] };
        },
      };
    },
  };
}
