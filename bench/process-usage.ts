import { readFileSync } from 'node:fs';

/** CPU time and resident memory of one process, from /proc (Linux). */
export interface ProcessUsage {
  /** User plus system CPU time, in milliseconds. */
  readonly cpuMs: number;
  /** Resident set size, in bytes. */
  readonly rssBytes: number;
}

/** Clock ticks per second of /proc/<pid>/stat's times: 100 on every Linux this runs on (`getconf CLK_TCK`). */
const TICKS_PER_SECOND = 100;

/**
 * Reads `utime` and `stime` (fields 14 and 15 of /proc/<pid>/stat, counted after the parenthesised command name,
 * which may itself hold spaces) and `VmRSS` from /proc/<pid>/status.
 */
export function readProcessUsage(pid: number): ProcessUsage {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state), so utime (14) and stime (15) are at 11 and 12.
  const ticks = Number(fields[11]) + Number(fields[12]);
  const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return { cpuMs: (ticks * 1000) / TICKS_PER_SECOND, rssBytes: rss ? Number(rss[1]) * 1024 : 0 };
}
