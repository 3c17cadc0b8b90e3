/** `@cinema/kit/logging`: the platform's pino logger. */
export { createLogger, type Logger } from '../logger.js';
