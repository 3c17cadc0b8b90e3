/**
 * Preloaded (`--import`) into every process bench/cpu-per-request.ts starts when asked for profiles: Node 20 refuses
 * `--cpu-prof` in NODE_OPTIONS, and a profile of the whole process life would be mostly start-up. Instead the first
 * SIGUSR2 starts V8's sampling profiler and the second stops it and writes `<pid>-<n>.cpuprofile` into
 * `CPU_PROFILE_DIR`, so a profile covers exactly the measured requests (open it in Chrome DevTools or speedscope).
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import path from 'node:path';

const dir = process.env.CPU_PROFILE_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  let running = false;
  let count = 0;
  process.on('SIGUSR2', () => {
    if (!running) {
      running = true;
      session.post('Profiler.enable', () => session.post('Profiler.setSamplingInterval', { interval: 200 }, () => session.post('Profiler.start')));
      return;
    }
    running = false;
    session.post('Profiler.stop', (error, result) => {
      if (error) return;
      writeFileSync(path.join(dir, `${process.pid}-${++count}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
