import { readdirSync, readFileSync } from 'node:fs';

/** CPU time and resident memory of one process, from /proc (Linux). */
export interface ProcessUsage {
  /** User plus system CPU time, in milliseconds. */
  readonly cpuMs: number;
  /** The system (kernel) part of `cpuMs`: syscalls such as socket reads and writes. */
  readonly systemMs: number;
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
  const { ownTicks, systemTicks } = parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return { cpuMs: (ownTicks * 1000) / TICKS_PER_SECOND, systemMs: (systemTicks * 1000) / TICKS_PER_SECOND, rssBytes: rss ? Number(rss[1]) * 1024 : 0 };
}

type Stat = { ppid: number; ownTicks: number; systemTicks: number; reapedTicks: number };

/** Parses the text of /proc/<pid>/stat into parent pid and CPU ticks (own, and of children it has waited for). */
function parseStat(stat: string): Stat {
  // Fields are counted after the parenthesised command name, which may itself hold spaces: fields[0] is field 3
  // (state), fields[1] ppid (field 4), and utime, stime, cutime, cstime (fields 14 to 17) are at 11 to 14.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return {
    ppid: Number(fields[1]),
    ownTicks: Number(fields[11]) + Number(fields[12]),
    systemTicks: Number(fields[12]),
    reapedTicks: Number(fields[13]) + Number(fields[14]),
  };
}

/** `parseStat` of a process that may have gone since its directory was listed (then undefined). */
function readStat(pid: number): Stat | undefined {
  try {
    return parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * CPU time, in milliseconds, of `rootPid` and every live descendant, plus what the root's finished children used
 * (the kernel adds it to the parent when it reaps them). For a server made of several processes (a cluster primary
 * and its workers, an nginx master and its workers), this is the whole server's CPU.
 */
export function readProcessTreeCpuMs(rootPid: number): number {
  const stats = new Map<number, Stat>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readStat(Number(name));
    if (stat) stats.set(Number(name), stat);
  }
  const children = new Map<number, number[]>();
  for (const [pid, stat] of stats) children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), pid]);
  let ticks = stats.get(rootPid)?.reapedTicks ?? 0;
  const pending = [rootPid];
  while (pending.length > 0) {
    const pid = pending.pop()!;
    ticks += stats.get(pid)?.ownTicks ?? 0;
    pending.push(...(children.get(pid) ?? []));
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}

/** Busy and total CPU time of the whole machine, in milliseconds summed over its cores (from /proc/stat). */
export function readMachineCpuMs(): { busyMs: number; totalMs: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  // cpu  user nice system idle iowait irq softirq steal guest guest_nice (guest time is already in user).
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1, 9).map(Number);
  const busy = user! + nice! + system! + irq! + softirq! + steal!;
  return { busyMs: (busy * 1000) / TICKS_PER_SECOND, totalMs: ((busy + idle! + iowait!) * 1000) / TICKS_PER_SECOND };
}
