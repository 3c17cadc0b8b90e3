import { DEVELOPMENT_SUBGRAPH_SECRET, loadConfigOrExit } from '@cinema/kit/config';
import { createLogger } from '@cinema/kit/logging';
import { runService } from '@cinema/kit/process';
import { DEVELOPMENT_JWT_SECRET, loadRouterConfig } from './config.js';
import { createRouter } from './server.js';

const config = loadConfigOrExit(() => loadRouterConfig());
const logger = createLogger('router', config.LOG_LEVEL);
if (config.jwtSecret === DEVELOPMENT_JWT_SECRET) logger.warn('JWT_SECRET is not set: using the development secret (refused when NODE_ENV=production)');
if (config.subgraphSecret === DEVELOPMENT_SUBGRAPH_SECRET)
  logger.warn('SUBGRAPH_SECRET is not set: signing subgraph requests with the development secret (refused when NODE_ENV=production)');
if (config.RATE_LIMIT > 0 && !config.REDIS_URL) logger.warn('REDIS_URL is not set: each router process counts rate limits on its own');
const router = await createRouter({ config, logger });
await runService(router, { name: 'router', host: config.HOST, port: config.PORT, logger });
