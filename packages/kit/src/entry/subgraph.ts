/** `@cinema/kit/subgraph`: a federation subgraph server with the platform's common behaviour (Apollo, @apollo/subgraph). */
export { createSubgraphServer, type SubgraphServer } from '../subgraph-server.js';
export type { SubgraphServiceOptions } from '../subgraph-service-options.js';
