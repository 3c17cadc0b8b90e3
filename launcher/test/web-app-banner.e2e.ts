import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { reservePorts } from '../src/reserve-port.js';
import { createTestDatabase, type TestDatabase } from '../../test/support/test-database.js';
import { createLauncherSandbox, launch, type LauncherProcess, type LauncherSandbox } from './support/launcher-process.js';

// Starting a platform (four services and the router) takes seconds alone but minutes on a loaded 2-core box.
const START_MS = 240_000;

/** The URL the banner gives for the web app, and what follows it on the line. */
function webAppLine(lines: readonly string[]): { url: string; rest: string } {
  const line = lines.find((candidate) => /^\s*Web app\s+/.test(candidate));
  expect(line, `a "Web app" line in the banner:\n${lines.join('\n')}`).toBeDefined();
  const match = /Web app\s+(http:\/\/\S+)(.*)$/.exec(line!);
  expect(match, line).not.toBeNull();
  return { url: match![1]!, rest: match![2]!.trim() };
}

/**
 * `npm start` serves the built app on the router's origin and prints its URL in the banner; `npm run dev` (`--dev`)
 * prints the URL of Vite's hot-reload server instead, which proxies `/graphql` to the router. Against the test run's
 * PostgreSQL (a database of its own), so no embedded server is needed.
 */
describe('the web app in the npm start banner', () => {
  let sandbox: LauncherSandbox;
  let database: TestDatabase;
  const started: LauncherProcess[] = [];
  beforeAll(async () => {
    sandbox = await createLauncherSandbox('web-app');
    database = await createTestDatabase('launcher_web_app');
  });
  afterEach(async () => {
    for (const launcher of started.splice(0)) await launcher.stop();
  }, 120_000);
  afterAll(async () => {
    await sandbox?.cleanup();
    await database?.drop();
  }, 120_000);

  it(
    'npm start: the banner gives the router origin, which serves the app and its assets',
    async () => {
      const launcher = launch({ env: { ...sandbox.env, DATABASE_URL: database.url, LOG_FORMAT: 'pretty' } });
      started.push(launcher);
      await launcher.waitForLine((line) => line.includes('Stop with Ctrl-C.'), START_MS);
      const { url, rest } = webAppLine(launcher.lines);
      expect(url).toBe(`http://127.0.0.1:${sandbox.routerPort}/`);
      expect(rest).toBe('');
      const page = await fetch(url, { headers: { accept: 'text/html' } });
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      const html = await page.text();
      expect(html).toContain('<div id="root">');
      const script = /<script[^>]+src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
      expect(script, html).toBeDefined();
      const asset = await fetch(new URL(script!, url));
      expect(asset.status).toBe(200);
      expect(asset.headers.get('content-type')).toMatch(/javascript/);
      // Same origin as the graph: the page's own /graphql answers.
      const graph = await fetch(new URL('/graphql', url), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ genres }' }),
      });
      expect(graph.status).toBe(200);
    },
    START_MS + 60_000,
  );

  it(
    'npm run dev: the banner gives Vite’s hot-reload server, which serves the app with its HMR client and proxies /graphql',
    async () => {
      const [devPort] = await reservePorts(1);
      const launcher = launch({ env: { ...sandbox.env, DATABASE_URL: database.url, LOG_FORMAT: 'pretty', WEB_DEV_PORT: String(devPort) }, args: ['--dev'] });
      started.push(launcher);
      await launcher.waitForLine((line) => line.includes('Stop with Ctrl-C.'), START_MS);
      const { url, rest } = webAppLine(launcher.lines);
      expect(url).toBe(`http://127.0.0.1:${devPort}/`);
      expect(rest).toBe('(hot reload)');
      // The banner names Vite only once it listens: the first request after it must be answered.
      const page = await fetch(url, { headers: { accept: 'text/html' } });
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('<div id="root">');
      // The dev server's page loads Vite's client, which takes module updates over a WebSocket (hot reload).
      expect(html).toContain('/@vite/client');
      const client = await fetch(new URL('/@vite/client', url));
      expect(client.status).toBe(200);
      expect(await client.text()).toContain('vite:beforeUpdate');
      const graph = await fetch(new URL('/graphql', url), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ genres }' }),
      });
      expect(graph.status).toBe(200);
      expect(((await graph.json()) as { data?: { genres?: unknown[] } }).data?.genres).toEqual(expect.any(Array));
    },
    START_MS + 60_000,
  );
});
