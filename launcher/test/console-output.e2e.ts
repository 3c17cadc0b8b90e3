import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLauncherSandbox, launch, type LauncherProcess, type LauncherSandbox } from './support/launcher-process.js';

// Starting a platform (embedded PostgreSQL, four services) takes seconds alone but minutes on a loaded 2-core box.
const START_MS = 240_000;
/** The catalogue feed's fallback poll, made short so an idle period holds many polls. */
const POLL_MS = 300;
const POLLS_AFTER_BANNER = 10;

/** One pretty line: time, level, service label, message. */
const PRETTY_LINE = /^\[\d\d:\d\d:\d\d\.\d{3}\] (TRACE|DEBUG|INFO|WARN|ERROR|FATAL): (launcher|[a-z][a-z-]*#\d+)\s+\S/;

/** How many catalogue-feed requests the movies service has served, from its own metrics. */
async function feedRequests(moviesUrl: string): Promise<number> {
  const text = await (await fetch(`${moviesUrl}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith('http_server_request_duration_seconds_count') && line.includes('route="/feeds/catalogue"'))
    .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
}

/**
 * What a person sees after `npm start` in a terminal (a real pseudo-terminal, through util-linux `script`): one
 * readable line per event naming its service, then the banner, and nothing after it while the platform idles, even
 * though the ratings service polls the catalogue feed several times a second here. Without a terminal: JSON lines.
 */
describe('npm start console', () => {
  let sandbox: LauncherSandbox;
  const started: LauncherProcess[] = [];
  beforeAll(async () => {
    sandbox = await createLauncherSandbox('console');
  });
  // Each test's platform is stopped even when the test fails, so the next one can take the data directory.
  afterEach(async () => {
    for (const launcher of started.splice(0)) await launcher.stop();
  }, 120_000);
  afterAll(async () => {
    await sandbox?.cleanup();
  }, 120_000);

  it(
    'in a terminal: pretty lines named by service, and the banner stays the last thing printed at idle',
    async () => {
      const launcher = launch({ env: { ...sandbox.env, CATALOGUE_SYNC_INTERVAL_MS: String(POLL_MS) }, tty: true });
      started.push(launcher);
      await launcher.waitForLine((line) => line.includes('Stop with Ctrl-C.'), START_MS);
      const bannerStart = launcher.lines.findIndex((line) => line.includes('Movie graph ready'));
      const events = launcher.lines.slice(0, bannerStart).filter((line) => line.trim());
      for (const line of events) expect(line).toMatch(PRETTY_LINE);
      for (const label of ['launcher', 'router#1', 'movies#1', 'people#1', 'ratings#1']) {
        expect(
          events.some((line) => line.includes(`: ${label} `)),
          `a line from ${label}`,
        ).toBe(true);
      }
      expect(events.some((line) => /INFO: movies#1\s+movies listening \{"url":"http:\/\/127\.0\.0\.1:\d+"\}/.test(line))).toBe(true);
      expect(events.some((line) => line.startsWith('{'))).toBe(false);

      // Idle, measured in events: wait until the ratings service has polled the feed many times since the banner.
      const printedAtBanner = launcher.lines.length;
      const moviesUrl = /movies (http:\/\/127\.0\.0\.1:\d+)/.exec(launcher.lines.slice(bannerStart).join('\n'))![1]!;
      const pollsAtBanner = await feedRequests(moviesUrl);
      while ((await feedRequests(moviesUrl)) < pollsAtBanner + POLLS_AFTER_BANNER) await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      expect(launcher.lines.slice(printedAtBanner).filter((line) => line.trim())).toEqual([]);
      expect(launcher.lines.at(-1)?.trim() === '' || launcher.lines.at(-1)?.includes('Stop with Ctrl-C.')).toBe(true);

      await launcher.stop();
    },
    START_MS + 120_000,
  );

  it(
    "without a terminal: one JSON object per line, the services' own lines included",
    async () => {
      const launcher = launch({ env: sandbox.env });
      started.push(launcher);
      const ready = JSON.parse(await launcher.waitForLine((line) => line.includes('"msg":"ready"'), START_MS)) as { service: string; url: string };
      expect(ready.service).toBe('launcher');
      expect(ready.url).toBe(`http://127.0.0.1:${sandbox.routerPort}/graphql`);
      const parsed = launcher.lines.filter((line) => line.trim()).map((line) => JSON.parse(line) as { service: string; msg: string; level: number });
      for (const service of ['movies', 'people', 'ratings', 'router']) {
        expect(
          parsed.some((line) => line.service === service && line.msg === `${service} listening`),
          service,
        ).toBe(true);
      }
      await launcher.stop();
      expect(await launcher.exited).toBe(0);
    },
    START_MS + 60_000,
  );
});
