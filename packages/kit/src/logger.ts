import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logger for a service. One line per event on stdout so that a process supervisor or a log
 * shipper can parse it; `LOG_LEVEL` tunes verbosity without code changes.
 */
export function createLogger(service: string, level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    name: service,
    level,
    base: { service, pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ['req.headers.authorization', '*.authorization', '*.password', '*.token'], censor: '[redacted]' },
  });
}
