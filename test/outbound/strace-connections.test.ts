import { describe, expect, it } from 'vitest';
import { describeAttempts, isLoopback, readStraceLog, unconfiguredDestinations } from '../support/strace-connections.js';

// Lines in the exact shape strace 6.1 (Debian 12) writes with -f, taken from a run of the gateway with telemetry on.
const LOG = [
  '4101  connect(21, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("169.254.169.254")}, 16) = -1 ENETUNREACH (Network is unreachable)',
  '4101  connect(22, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("100.100.100.200")}, 16 <unfinished ...>',
  '4107  sendto(24, "\\25\\272\\1\\0\\0\\1", 40, MSG_NOSIGNAL, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("10.0.0.2")}, 16) = 40',
  '4102  connect(3, {sa_family=AF_INET6, sin6_port=htons(4000), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "::1", &sin6_addr), sin6_scope_id=0}, 28) = 0',
  '4102  connect(4, {sa_family=AF_INET, sin_port=htons(5432), sin_addr=inet_addr("127.0.0.1")}, 16) = 0',
  '4103  connect(5, {sa_family=AF_UNIX, sun_path="/var/run/postgresql/.s.PGSQL.5432"}, 110) = 0',
  '4104  connect(6, {sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "2001:db8::1", &sin6_addr), sin6_scope_id=0}, 28) = -1 ENETUNREACH',
  '4105  connect(7, {sa_family=AF_UNSPEC, sa_data="\\0\\0\\0\\0"}, 16) = 0',
  '4106  <... connect resumed>) = 0',
].join('\n');

// Non-blocking connections to loopback as libuv makes them (strace 6.1, `-e trace=connect,getsockopt`): the result
// comes with getsockopt(SO_ERROR) on the same thread, here interleaved with another thread's calls.
const LOOPBACK = [
  '13298 connect(19, {sa_family=AF_INET, sin_port=htons(4318), sin_addr=inet_addr("127.0.0.1")}, 16) = -1 EINPROGRESS (Operation now in progress)',
  '13298 connect(21, {sa_family=AF_INET, sin_port=htons(46407), sin_addr=inet_addr("127.0.0.1")}, 16) = -1 EINPROGRESS (Operation now in progress)',
  '13299 connect(19, {sa_family=AF_INET, sin_port=htons(46407), sin_addr=inet_addr("127.0.0.1")}, 16 <unfinished ...>',
  '13298 getsockopt(19, SOL_SOCKET, SO_ERROR, [ECONNREFUSED], [4]) = 0',
  '13299 <... connect resumed>) = -1 EINPROGRESS (Operation now in progress)',
  '13298 getsockopt(21, SOL_SOCKET, SO_ERROR, [0], [4]) = 0',
  '13299 getsockopt(19, SOL_SOCKET, SO_ERROR <unfinished ...>',
  '13298 connect(22, {sa_family=AF_INET6, sin6_port=htons(46407), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "::1", &sin6_addr), sin6_scope_id=0}, 28) = -1 ECONNREFUSED (Connection refused)',
  '13299 <... getsockopt resumed>, [ECONNREFUSED], [4]) = 0',
  '13300 connect(23, {sa_family=AF_INET, sin_port=htons(9464), sin_addr=inet_addr("127.0.0.1")}, 16) = -1 EINPROGRESS (Operation now in progress)',
  '13301 connect(24, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("127.0.0.53")}, 16) = 0',
].join('\n');

describe('reading strace logs', () => {
  it('finds every IPv4 and IPv6 destination and leaves local socket families out', () => {
    const reading = readStraceLog(LOG);
    expect(reading.unreadable).toEqual([]);
    expect(reading.attempts.map((a) => `${a.syscall} ${a.address}:${a.port} ${a.outcome}`)).toEqual([
      'connect 169.254.169.254:80 failed',
      'connect 100.100.100.200:80 unknown',
      'sendto 10.0.0.2:53 unknown',
      'connect ::1:4000 connected',
      'connect 127.0.0.1:5432 connected',
      'connect 2001:db8::1:443 failed',
    ]);
  });

  it('flags everything but loopback services and configured destinations, DNS lookups included', () => {
    const reading = readStraceLog(LOG);
    expect(describeAttempts(unconfiguredDestinations(reading))).toEqual([
      'connect 169.254.169.254:80 (1×)',
      'connect 100.100.100.200:80 (1×)',
      'sendto 10.0.0.2:53 (DNS) (1×)',
      'connect [2001:db8::1]:443 (1×)',
    ]);
    expect(unconfiguredDestinations(reading, ['10.0.0.2:53', '169.254.169.254:80', '100.100.100.200:80', '2001:db8::1:443'])).toEqual([]);
  });

  it('reads the outcome of non-blocking connections from getsockopt(SO_ERROR) on the same thread', () => {
    const outcomes = readStraceLog(LOOPBACK).attempts.map((a) => `${a.address}:${a.port} ${a.outcome}`);
    expect(outcomes).toEqual([
      '127.0.0.1:4318 failed',
      '127.0.0.1:46407 connected',
      '127.0.0.1:46407 failed',
      '::1:46407 failed',
      '127.0.0.1:9464 unknown',
      '127.0.0.53:53 connected',
    ]);
  });

  it('flags loopback ports where nothing listened and DNS lookups sent to a loopback resolver', () => {
    const reading = readStraceLog(LOOPBACK);
    // 46407 listened (one connection made it), so the refused attempts there were a service not yet or no longer up.
    expect(describeAttempts(unconfiguredDestinations(reading))).toEqual([
      'connect 127.0.0.1:4318 (nothing listened) (1×)',
      'connect 127.0.0.1:9464 (nothing listened) (1×)',
      'connect 127.0.0.53:53 (DNS) (1×)',
    ]);
    expect(unconfiguredDestinations(reading, ['127.0.0.1:4318', '127.0.0.1:9464', '127.0.0.53:53'])).toEqual([]);
  });

  it('counts an IP socket address it cannot read as unreadable instead of ignoring it', () => {
    const reading = readStraceLog('9  connect(3, {sa_family=AF_INET, sin_port=htons(80), sin_addr=???}, 16) = 0');
    expect(reading.attempts).toEqual([]);
    expect(reading.unreadable).toHaveLength(1);
  });

  it('treats 127.0.0.0/8, ::1 and mapped loopback as loopback, nothing else', () => {
    expect(['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1'].every(isLoopback)).toBe(true);
    expect(['0.0.0.0', '10.0.0.1', '169.254.169.254', '::ffff:10.0.0.1', '::', '128.0.0.1'].some(isLoopback)).toBe(false);
  });
});
