import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSubgraphs, type FakeSubgraphs } from './support/fake-subgraphs.js';
import { startInProcessRouter, type InProcessRouter } from './support/in-process-router.js';

/** A stand-in for `web/dist`: a page and one hashed asset, as `vite build` lays them out. */
function fakeBuild(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'web-app-'));
  mkdirSync(path.join(root, 'assets'));
  writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>Cinema</title><script type="module" src="/assets/index-abc123.js"></script>');
  writeFileSync(path.join(root, 'assets', 'index-abc123.js'), 'console.log("app")');
  return root;
}

describe('the web app served by the router (WEB_APP_DIR)', () => {
  let subgraphs: FakeSubgraphs;
  let router: InProcessRouter;
  let origin: string;
  let build: string;
  const html = { accept: 'text/html,application/xhtml+xml' };

  beforeAll(async () => {
    build = fakeBuild();
    subgraphs = await startFakeSubgraphs();
    router = await startInProcessRouter({ ...subgraphs.env, RATE_LIMIT: '0', WEB_APP_DIR: build, WEB_APP_MEDIA_ORIGINS: 'http://127.0.0.1:4100' });
    origin = new URL(router.url).origin;
  });

  afterAll(async () => {
    await router?.close();
    await subgraphs?.close();
    rmSync(build, { recursive: true, force: true });
  });

  it('serves the page at / with a strict CSP naming the chunk servers', async () => {
    const response = await fetch(`${origin}/`, { headers: html });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<title>Cinema</title>');
    const csp = response.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("connect-src 'self' http://127.0.0.1:4100");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(response.headers.get('cache-control')).toBe('no-cache');
  });

  it('serves hashed assets for a year, and answers a matching ETag with 304', async () => {
    const response = await fetch(`${origin}/assets/index-abc123.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/javascript');
    expect(response.headers.get('cache-control')).toContain('immutable');
    const again = await fetch(`${origin}/assets/index-abc123.js`, { headers: { 'if-none-match': response.headers.get('etag')! } });
    expect(again.status).toBe(304);
  });

  it("answers a browser's deep link with the page, but keeps JSON 404s for API clients and missing assets", async () => {
    const deep = await fetch(`${origin}/movie/42`, { headers: html });
    expect(deep.status).toBe(200);
    expect(await deep.text()).toContain('<title>Cinema</title>');
    const api = await fetch(`${origin}/movie/42`);
    expect(api.status).toBe(404);
    expect(((await api.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('NOT_FOUND');
    expect((await fetch(`${origin}/assets/missing.js`, { headers: html })).status).toBe(404);
  });

  it('leaves /graphql, the playground, /health and /metrics as they were', async () => {
    const playground = await fetch(`${origin}/graphql`, { headers: html });
    expect(playground.status).toBe(200);
    expect(await playground.text()).toContain('GraphiQL');
    const query = await fetch(`${origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ genres }' }),
    });
    expect(query.status).toBe(200);
    const health = await fetch(`${origin}/health`, { headers: html });
    expect(health.headers.get('content-type')).toContain('application/json');
    const metrics = await fetch(`${origin}/metrics`, { headers: html });
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    // Like every service's: a scrape must never be answered from a cache in between.
    expect(metrics.headers.get('cache-control')).toBe('no-store');
  });
});
