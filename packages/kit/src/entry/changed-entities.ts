/**
 * `@cinema/kit/changed-entities`: the response extension by which a subgraph's mutation names the entities it
 * changed, read by the router's response cache. Types of @apollo/server only, nothing loaded at run time.
 */
export { CHANGED_ENTITIES_EXTENSION, entityTag } from '../changed-entities.js';
