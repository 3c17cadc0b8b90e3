import type { IncomingMessage } from 'node:http';

/**
 * The client's IP address for rate limiting. Behind `trustedHops` proxies that each append to `X-Forwarded-For`, the
 * client is the entry `trustedHops` from the end (what the outermost trusted proxy saw); entries before it are the
 * client's own claims and are ignored. With no trusted proxy, or a header shorter than the chain, the socket's
 * address.
 */
export function clientAddress(req: IncomingMessage, trustedHops: number): string {
  const socketAddress = req.socket.remoteAddress ?? 'unknown';
  if (trustedHops === 0) return socketAddress;
  const header = req.headers['x-forwarded-for'];
  const entries = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  return entries.length >= trustedHops ? entries[entries.length - trustedHops]!.slice(0, 64) : socketAddress;
}
