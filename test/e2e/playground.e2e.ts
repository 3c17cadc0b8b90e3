import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '@cinema/data-tools';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  if (process.env.CI) throw new Error(`Chromium is required in CI at ${CHROMIUM} (apt-get install chromium)`);
  console.warn(`\n*** ${CHROMIUM} not found: skipping the playground browser test (apt-get install chromium) ***\n`);
}

describe.skipIf(!hasChromium)('the playground at /graphql, in headless Chromium', () => {
  let database: TestDatabase;
  let platform: TestPlatform;
  let browser: Browser;

  beforeAll(async () => {
    database = await createTestDatabase('e2e_playground');
    platform = await startTestPlatform(database.url, { REPLICAS: '1', DEMO_VIDEOS: '0' });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
    await database?.drop();
  });

  it('loads with no internet access, runs the first example with its variables in one click (filtered data), browses the schema docs and runs a typed query', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const origin = new URL(platform.routerUrl).origin;
    const requested: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));

    const response = await page.goto(platform.routerUrl);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.waitForSelector('.graphiql-container', { timeout: 20_000 });

    // The first tab holds the first example operation with its variables in the Variables pane; one click runs it.
    const queryEditor = page.locator('.graphiql-query-editor .CodeMirror');
    await expect.poll(() => queryEditor.textContent()).toContain('BrowseCatalogue');
    const variablesEditor = page.locator('.graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror');
    await expect.poll(() => variablesEditor.textContent()).toMatch(/"genre":\s*"Comedy"/);
    const graphqlBodies: { query?: string; variables?: Record<string, unknown> }[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url() === platform.routerUrl) graphqlBodies.push(JSON.parse(request.postData() ?? '{}'));
    });
    const answered = page.waitForResponse(
      (response) => response.url() === platform.routerUrl && (response.request().postData() ?? '').includes('BrowseCatalogue'),
    );
    await page.click('.graphiql-execute-button');
    const browse = (await (await answered).json()) as { data?: { movies: { edges: { node: { genres: string[] } }[] } }; errors?: unknown };
    expect(browse.errors).toBeUndefined();
    // The filtered result: Comedy films only, at most `first` (20) of them.
    const nodes = browse.data!.movies.edges.map((edge) => edge.node);
    expect(nodes.length).toBeGreaterThan(0);
    expect(nodes.length).toBeLessThanOrEqual(20);
    for (const node of nodes) expect(node.genres).toContain('Comedy');
    expect(graphqlBodies.find((body) => body.query?.includes('BrowseCatalogue'))?.variables).toEqual({ genre: 'Comedy', first: 20, after: null });
    const result = page.locator('.result-window');
    await expect.poll(() => result.textContent(), { timeout: 20_000 }).toContain('"edges"');

    // The schema is browsable: the documentation explorer opens on the root types.
    await page.click('[aria-label="Show Documentation Explorer"]');
    const docs = page.locator('.graphiql-doc-explorer');
    await expect.poll(() => docs.textContent(), { timeout: 20_000 }).toContain('Query');
    await page
      .locator('.graphiql-doc-explorer .graphiql-doc-explorer-type-name', { hasText: /^Query$/ })
      .first()
      .click();
    await expect.poll(() => docs.textContent(), { timeout: 20_000 }).toContain('topRatedMovies');

    // Open a new tab, type a query of our own and run it.
    await page.click('.graphiql-tab-add');
    await queryEditor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.type('query Genres { genres ');
    // The editor closes the brace itself; check what it holds rather than assume.
    await expect.poll(() => queryEditor.textContent()).toMatch(/query Genres \{ genres\s*\}/);
    // GraphiQL parses the editor (and picks the operation name) on a debounce after the last keystroke.
    await page.waitForTimeout(500);
    await page.click('.graphiql-execute-button');
    await expect.poll(() => result.textContent(), { timeout: 20_000 }).toContain('"genres"');

    const artifacts = path.join(repoRoot, 'artifacts');
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: path.join(artifacts, 'playground.png') });

    expect(pageErrors).toEqual([]);
    const foreign = requested.filter((url) => !url.startsWith(origin) && !url.startsWith('data:'));
    expect(foreign).toEqual([]);
  });
});
