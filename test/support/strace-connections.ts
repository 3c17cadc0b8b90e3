/**
 * Reads what `strace -f -e trace=connect,getsockopt` (and, when traced, sendto/sendmsg) recorded and says which
 * destinations the traced processes tried to reach. Used to prove that nothing leaves the machine that the operator
 * did not configure (issue: the router probing cloud metadata endpoints): a DNS lookup shows up as a datagram to
 * port 53, an HTTP request as a `connect`.
 *
 * Loopback is not a free pass: the allowed loopback destinations are the services the platform started, so an
 * attempt at a loopback port where nothing ever listened (a default such as an OTLP collector on `localhost:4318`
 * nobody configured, a stub resolver on 127.0.0.53) counts as unconfigured too. Whether something listened is read
 * from the outcome of the connections: a non-blocking `connect` answers `EINPROGRESS`, and libuv then reads the
 * result with `getsockopt(fd, SOL_SOCKET, SO_ERROR)` on the same thread, which strace shows (`[0]` or
 * `[ECONNREFUSED]`).
 */

export interface ConnectionAttempt {
  /** The system call: `connect`, `sendto` or `sendmsg`. */
  syscall: string;
  family: 'inet' | 'inet6';
  address: string;
  port: number;
  /**
   * `connected` once the connection was made, `failed` when it was refused or unreachable, `unknown` when the log
   * does not say (the process ended first, or a datagram call).
   */
  outcome: 'connected' | 'failed' | 'unknown';
  /** The strace line, for the failure message. */
  line: string;
}

export interface StraceReading {
  attempts: ConnectionAttempt[];
  /** Lines naming an IP socket address that could not be read: counted as failures, never ignored. */
  unreadable: string[];
}

/** `1234  ` (written with `-o`) or `[pid 1234] ` (written to stderr); no prefix when a single process is traced. */
const PREFIX = /^(?:\[pid\s+(\d+)\]\s+|(\d+)\s+)?/;
const CALL = /^(connect|sendto|sendmsg|getsockopt)\((\d+),/;
const RESUMED = /^<\.\.\. (connect|getsockopt) resumed>/;
const RESULT = /\)\s+=\s+(-?\d+)(?:\s+(E[A-Z0-9]+))?/;
const SO_ERROR = /SOL_SOCKET, SO_ERROR, \[([A-Z0-9]+)\]/;
const INET = /sa_family=AF_INET, sin_port=htons\((\d+)\), sin_addr=inet_addr\("([^"]+)"\)/g;
const INET6 = /sa_family=AF_INET6, sin6_port=htons\((\d+)\),.*?inet_pton\(AF_INET6, "([^"]+)"/g;

/** What a finished `connect` line says about the connection; `undefined` while it is still in progress. */
function connectOutcome(result: RegExpExecArray | null): ConnectionAttempt['outcome'] | undefined {
  if (!result) return 'unknown';
  if (result[1] === '0') return 'connected';
  return result[2] === 'EINPROGRESS' ? undefined : 'failed';
}

/** Every IPv4/IPv6 destination in an strace log; Unix, netlink and unspecified addresses are local by nature. */
export function readStraceLog(text: string): StraceReading {
  const attempts: ConnectionAttempt[] = [];
  const unreadable: string[] = [];
  /** Per thread and descriptor: the connection whose result a later `getsockopt(SO_ERROR)` will give. */
  const inProgress = new Map<string, ConnectionAttempt>();
  /** Per thread: the call strace split into `<unfinished ...>` and `<... resumed>` lines. */
  const unfinished = new Map<string, { syscall: string; fd: string; attempts: ConnectionAttempt[]; text: string }>();

  const settle = (thread: string, fd: string, syscall: string, found: ConnectionAttempt[], rest: string): void => {
    const result = RESULT.exec(rest);
    if (syscall === 'getsockopt') {
      const pending = inProgress.get(`${thread}:${fd}`);
      const error = SO_ERROR.exec(rest)?.[1];
      if (pending && error !== undefined) {
        pending.outcome = error === '0' ? 'connected' : 'failed';
        inProgress.delete(`${thread}:${fd}`);
      }
      return;
    }
    if (syscall !== 'connect') return;
    for (const attempt of found) {
      const outcome = connectOutcome(result);
      if (outcome) attempt.outcome = outcome;
      else inProgress.set(`${thread}:${fd}`, attempt);
    }
  };

  for (const raw of text.split('\n')) {
    const prefix = PREFIX.exec(raw)!;
    const thread = prefix[1] ?? prefix[2] ?? '';
    const line = raw.slice(prefix[0].length);
    const resumed = RESUMED.exec(line);
    if (resumed) {
      const call = unfinished.get(thread);
      unfinished.delete(thread);
      // The arguments strace had not yet printed and the result follow the marker: read them as one call.
      if (call && call.syscall === resumed[1]) settle(thread, call.fd, call.syscall, call.attempts, call.text + line.slice(resumed[0].length));
      continue;
    }
    const call = CALL.exec(line);
    if (!call) continue;
    const [, syscall, fd] = call as unknown as [string, string, string];
    let found: ConnectionAttempt[] = [];
    if (syscall !== 'getsockopt' && /sa_family=AF_INET6?\b/.test(line)) {
      found = [
        ...[...line.matchAll(INET)].map((m) => ({ family: 'inet' as const, port: Number(m[1]), address: m[2]! })),
        ...[...line.matchAll(INET6)].map((m) => ({ family: 'inet6' as const, port: Number(m[1]), address: m[2]! })),
      ].map((destination) => ({ syscall, ...destination, outcome: 'unknown' as const, line: raw }));
      if (found.length === 0) unreadable.push(raw);
      attempts.push(...found);
    }
    if (line.endsWith('<unfinished ...>')) unfinished.set(thread, { syscall, fd, attempts: found, text: line.slice(0, -' <unfinished ...>'.length) });
    else settle(thread, fd, syscall, found, line);
  }
  return { attempts, unreadable };
}

/** 127.0.0.0/8, ::1 and IPv4-mapped loopback: the services the platform itself started on this machine. */
export function isLoopback(address: string): boolean {
  if (address === '::1') return true;
  const v4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

/**
 * The attempts the operator did not configure: anything off loopback, any DNS lookup (the platform runs no DNS
 * server, and nothing it is configured with needs a name looked up), and loopback ports where no connection ever
 * succeeded in this log, that is where no service listened. `configured` (`host:port`) lifts all three.
 */
export function unconfiguredDestinations(reading: StraceReading, configured: readonly string[] = []): ConnectionAttempt[] {
  const allowed = new Set(configured);
  // By port, not address: a client that tries ::1 before 127.0.0.1 still reached the service on that port.
  const listened = new Set(reading.attempts.filter((a) => isLoopback(a.address) && a.outcome === 'connected' && a.port !== 53).map((a) => a.port));
  return reading.attempts.filter((a) => {
    if (allowed.has(`${a.address}:${a.port}`)) return false;
    if (!isLoopback(a.address) || a.port === 53) return true;
    return !listened.has(a.port);
  });
}

/** One line per destination for an assertion message: `connect 169.254.169.254:80 (3×)`. */
export function describeAttempts(attempts: readonly ConnectionAttempt[]): string[] {
  const counts = new Map<string, number>();
  for (const a of attempts) {
    const where = `${a.family === 'inet6' ? `[${a.address}]` : a.address}:${a.port}`;
    const why = a.port === 53 ? ' (DNS)' : isLoopback(a.address) ? ' (nothing listened)' : '';
    const key = `${a.syscall} ${where}${why}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([key, n]) => `${key} (${n}×)`);
}
