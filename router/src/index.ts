import { createLogger, loadConfigOrExit, runService } from '@cinema/kit';
import { DEVELOPMENT_JWT_SECRET, loadRouterConfig } from './config.js';
import { createRouter } from './server.js';

const config = loadConfigOrExit(() => loadRouterConfig());
const logger = createLogger('router', config.LOG_LEVEL);
if (config.jwtSecret === DEVELOPMENT_JWT_SECRET) logger.warn('JWT_SECRET is not set: using the development secret (refused when NODE_ENV=production)');
const router = await createRouter({ config, logger });
await runService(router, { name: 'router', host: config.HOST, port: config.PORT, logger });
