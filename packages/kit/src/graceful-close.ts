import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Stops accepting connections, lets in-flight requests finish, then resolves. Connections still busy after
 * `timeoutMs` are cut so that a stuck client cannot block a rolling restart forever.
 */
export async function closeGracefully(server: Server, timeoutMs = 10_000): Promise<void> {
  if (!server.listening) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => server.closeAllConnections(), timeoutMs);
    timer.unref();
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    server.closeIdleConnections();
  });
}

/** Listens and resolves with the port actually bound (useful with port 0). */
export async function listen(server: Server, port: number, host = '127.0.0.1'): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}
