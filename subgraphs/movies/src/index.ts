import { createDatabase } from '@cinema/db';
import { createLogger, loadConfigOrExit, runService } from '@cinema/kit';
import { loadMoviesConfig } from './config.js';
import type { MoviesDatabase } from './db/database.js';
import { createMoviesServer } from './server.js';

const config = loadConfigOrExit(() => loadMoviesConfig());
const logger = createLogger('movies', config.LOG_LEVEL);
const db = createDatabase<MoviesDatabase>({ connectionString: config.DATABASE_URL, schema: 'movies', poolSize: config.DB_POOL_SIZE, applicationName: 'movies-subgraph', onPoolError: (error) => logger.warn({ err: error }, 'idle database connection lost') });
const service = await createMoviesServer({ db, logger, development: config.NODE_ENV !== 'production' });
await runService(
  { server: service.server, stop: async () => { await service.stop(); await db.destroy(); } },
  { name: 'movies', host: config.HOST, port: config.PORT, logger },
);
