export { composeSupergraph, supergraphPath, configPath, schemaDir, type CompositionResult } from './compose-supergraph.js';
