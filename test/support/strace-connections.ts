/**
 * Reads what `strace -f -e trace=connect` (and, when traced, sendto/sendmsg) recorded and says which destinations the traced
 * processes tried to reach. Used to prove that nothing leaves the machine that the operator did not configure
 * (issue: the router probing cloud metadata endpoints): a DNS lookup shows up as a datagram to port 53, an HTTP
 * request as a `connect`.
 */

export interface ConnectionAttempt {
  /** The system call: `connect`, `sendto` or `sendmsg`. */
  syscall: string;
  family: 'inet' | 'inet6';
  address: string;
  port: number;
  /** The strace line, for the failure message. */
  line: string;
}

export interface StraceReading {
  attempts: ConnectionAttempt[];
  /** Lines naming an IP socket address that could not be read: counted as failures, never ignored. */
  unreadable: string[];
}

const SYSCALL = /\b(connect|sendto|sendmsg)\(/;
const INET = /sa_family=AF_INET, sin_port=htons\((\d+)\), sin_addr=inet_addr\("([^"]+)"\)/g;
const INET6 = /sa_family=AF_INET6, sin6_port=htons\((\d+)\),.*?inet_pton\(AF_INET6, "([^"]+)"/g;

/** Every IPv4/IPv6 destination in an strace log; Unix, netlink and unspecified addresses are local by nature. */
export function readStraceLog(text: string): StraceReading {
  const attempts: ConnectionAttempt[] = [];
  const unreadable: string[] = [];
  for (const line of text.split('\n')) {
    const syscall = SYSCALL.exec(line)?.[1];
    if (!syscall || !/sa_family=AF_INET6?\b/.test(line)) continue;
    const found = [
      ...[...line.matchAll(INET)].map((m) => ({ family: 'inet' as const, port: Number(m[1]), address: m[2]! })),
      ...[...line.matchAll(INET6)].map((m) => ({ family: 'inet6' as const, port: Number(m[1]), address: m[2]! })),
    ];
    if (found.length === 0) unreadable.push(line);
    for (const destination of found) attempts.push({ syscall, ...destination, line });
  }
  return { attempts, unreadable };
}

/** 127.0.0.0/8, ::1 and IPv4-mapped loopback: the services the platform itself started on this machine. */
export function isLoopback(address: string): boolean {
  if (address === '::1') return true;
  const v4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

/** The attempts to anywhere but loopback and the configured `host:port` destinations. */
export function unconfiguredDestinations(reading: StraceReading, configured: readonly string[] = []): ConnectionAttempt[] {
  const allowed = new Set(configured);
  return reading.attempts.filter((a) => !isLoopback(a.address) && !allowed.has(`${a.address}:${a.port}`));
}

/** One line per destination for an assertion message: `connect 169.254.169.254:80 (3×)`. */
export function describeAttempts(attempts: readonly ConnectionAttempt[]): string[] {
  const counts = new Map<string, number>();
  for (const a of attempts) {
    const key = `${a.syscall} ${a.family === 'inet6' ? `[${a.address}]` : a.address}:${a.port}${a.port === 53 ? ' (DNS)' : ''}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([key, n]) => `${key} (${n}×)`);
}
