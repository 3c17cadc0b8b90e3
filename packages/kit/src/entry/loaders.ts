/** `@cinema/kit/loaders`: per-request DataLoaders for entities and groups. */
export { createEntityLoader, createGroupLoader, type LoaderOptions } from '../batch-loaders.js';
export { createCachedEntityLoader } from '../cached-entity-loader.js';
