import { createServer, type Server } from 'node:net';

const listenOnFreePort = (host: string): Promise<Server> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => resolve(server));
  });

/**
 * Distinct free TCP ports on 127.0.0.1, found by binding port 0 (all held open together so none repeats) and
 * closing. Knowing every service's address before any of them starts lets the launcher start them all at once
 * instead of in dependency order; the short window in which another program could take a port is acceptable for a
 * local launcher, and a clash fails loudly at start.
 */
export async function reservePorts(count: number, host = '127.0.0.1'): Promise<number[]> {
  const servers = await Promise.all(Array.from({ length: count }, () => listenOnFreePort(host)));
  const ports = servers.map((server) => {
    const address = server.address();
    if (typeof address !== 'object' || !address) throw new Error('could not reserve a port');
    return address.port;
  });
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}
