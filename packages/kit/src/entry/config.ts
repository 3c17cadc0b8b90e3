/**
 * `@cinema/kit/config`: environment parsing with zod, the settings every subgraph shares, and the development
 * secrets. Loads zod only, so any process (chunk server and launcher included) can take it.
 */
export { ConfigError, parseConfig, loadConfigOrExit, envFlag, envPort, envMode, z } from '../config.js';
export { subgraphConfigSchema } from '../service-config.js';
export { DEVELOPMENT_JWT_SECRET, DEVELOPMENT_SUBGRAPH_SECRET, jwtSecretSetting, subgraphSecretSetting, resolveSubgraphSecret } from '../development-secrets.js';
