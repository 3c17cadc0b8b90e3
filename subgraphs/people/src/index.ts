import { createDatabase } from '@cinema/db';
import { createLogger, loadConfigOrExit, runService } from '@cinema/kit';
import { loadPeopleConfig } from './config.js';
import type { PeopleDatabase } from './db/database.js';
import { createPeopleServer } from './server.js';

const config = loadConfigOrExit(() => loadPeopleConfig());
const logger = createLogger('people', config.LOG_LEVEL);
const db = createDatabase<PeopleDatabase>({ connectionString: config.DATABASE_URL, schema: 'people', poolSize: config.DB_POOL_SIZE, applicationName: 'people-subgraph', onPoolError: (error) => logger.warn({ err: error }, 'idle database connection lost') });
const service = await createPeopleServer({ db, logger, development: config.NODE_ENV !== 'production' });
await runService(
  { server: service.server, stop: async () => { await service.stop(); await db.destroy(); } },
  { name: 'people', host: config.HOST, port: config.PORT, logger },
);
