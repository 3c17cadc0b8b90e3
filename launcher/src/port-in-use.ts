import { createServer } from 'node:net';

/** A port the launcher was told to use is held by another program: said in one line, before anything starts. */
export class PortInUseError extends Error {
  readonly code = 'PORT_IN_USE';
  constructor(
    readonly host: string,
    readonly port: number,
    readonly variable: string,
    what: string,
  ) {
    super(`port ${port} on ${host} (${what}) is already in use by another program; set ${variable} to a free port`);
    this.name = 'PortInUseError';
  }
}

/**
 * Fails with {@link PortInUseError} when `host:port` cannot be bound, by binding it and letting go at once. Checking
 * first turns what would be a stack trace from a service half-way through the start (after every other process
 * came up) into one line before any process starts. Port 0 (any free port) always passes.
 */
export async function assertPortFree(host: string, port: number, variable: string, what: string): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(host, port, variable, what) : error);
    });
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve()));
  });
}
