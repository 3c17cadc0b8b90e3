/**
 * Preloaded (`--import`) into every process bench/cpu-per-request.ts starts when asked for profiles: Node 20 refuses
 * `--cpu-prof` in NODE_OPTIONS, and a profile of the whole process life would be mostly start-up. Instead the first
 * SIGUSR2 starts V8's sampling profiler and the second stops it and writes `<pid>-<n>.cpuprofile` into
 * `CPU_PROFILE_DIR`, so a profile covers exactly the measured requests (open it in Chrome DevTools or speedscope).
 * Beside it, `<pid>-<n>.gc.json` sums the garbage collections of the same span by kind (a profile shows only that
 * time went to the collector, not whether to young-generation scavenges or full mark-compacts, which call for
 * different remedies).
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import path from 'node:path';
import { constants, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';

const GC_KINDS: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'scavenge',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'mark-compact',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental marking',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak callbacks',
};

const dir = process.env.CPU_PROFILE_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  let running = false;
  let count = 0;
  let collections: Record<string, { count: number; ms: number }> = {};
  const observer = new PerformanceObserver((list) => {
    if (!running) return;
    for (const entry of list.getEntries() as (PerformanceEntry & { detail?: { kind?: number } })[]) {
      const kind = GC_KINDS[entry.detail?.kind ?? -1] ?? 'other';
      const sum = (collections[kind] ??= { count: 0, ms: 0 });
      sum.count += 1;
      sum.ms += entry.duration;
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  process.on('SIGUSR2', () => {
    if (!running) {
      running = true;
      collections = {};
      session.post('Profiler.enable', () => session.post('Profiler.setSamplingInterval', { interval: 200 }, () => session.post('Profiler.start')));
      return;
    }
    running = false;
    const n = ++count;
    writeFileSync(path.join(dir, `${process.pid}-${n}.gc.json`), JSON.stringify(collections, null, 2));
    session.post('Profiler.stop', (error, result) => {
      if (error) return;
      writeFileSync(path.join(dir, `${process.pid}-${n}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
