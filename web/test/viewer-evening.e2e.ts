import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createDatabase } from '@cinema/db';
import { repoRoot } from '@cinema/data-tools';
import { sql } from 'kysely';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoAssets } from '../../chunk-server/src/media/demo-assets.js';
import { loadLauncherConfig } from '../../launcher/src/config.js';
import { startPlatform, type RunningPlatform } from '../../launcher/src/start-platform.js';
import { ensureWebAppBuild } from '../../launcher/src/web-app-build.js';
import { deleteTestKeys, testKeyPrefix } from '../../test/support/redis-test-keys.js';
import { createTestDatabase, type TestDatabase } from '../../test/support/test-database.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  if (process.env.CI) throw new Error(`Chromium is required in CI at ${CHROMIUM} (apt-get install chromium)`);
  console.warn(`\n*** ${CHROMIUM} not found: skipping the web app journey (apt-get install chromium) ***\n`);
}

interface ManifestOperation {
  id: string;
  name: string;
  body: string;
}
const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'web', 'persisted-query-manifest.json'), 'utf8')) as { operations: ManifestOperation[] };
const registeredIds = new Set(manifest.operations.map((operation) => operation.id));
const operation = (name: string) => manifest.operations.find((o) => o.name === name)!;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Long enough to play past 5 s, leave, and resume mid-film (the launcher's demo videos may be shorter). */
const VIDEO_SECONDS = 30;
const artifacts = path.join(repoRoot, 'artifacts', 'web');

/** A registered operation sent by its text through the router (allowed in allow-list mode, since it is registered). */
async function registered<T>(routerUrl: string, name: string, variables: Record<string, unknown> = {}): Promise<{ status: number; data?: T }> {
  const response = await fetch(routerUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: operation(name).body, variables }),
  });
  const body = (await response.json()) as { data?: T };
  return { status: response.status, ...(body.data ? { data: body.data } : {}) };
}

/** Drops one letter from the title's longest word: a typo the search must forgive. */
function withTypo(title: string): string {
  const words = title.split(' ');
  const longest = words.reduce((best, word, i) => (word.length > words[best]!.length ? i : best), 0);
  const word = words[longest]!;
  // Two different neighbouring letters swapped past the word's start, the commonest typing slip.
  let i = 2;
  while (i < word.length - 2 && word[i] === word[i + 1]) i++;
  words[longest] = word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
  return words.join(' ');
}

describe.skipIf(!hasChromium)("a viewer's evening in the web app, in headless Chromium, with the router in allow-list mode", () => {
  let database: TestDatabase;
  let platform: RunningPlatform;
  let browser: Browser;
  let origin: string;
  let film: { id: string; title: string } | undefined;
  const cacheKeyPrefix = testKeyPrefix('web');
  /** Every GraphQL request the page made, as sent. */
  const graphqlRequests: { body: string; status?: number }[] = [];

  beforeAll(async () => {
    // Kept under .data/test-web so later runs reuse the encoded video; the database is fresh every time.
    const dataDir = path.join(repoRoot, '.data', 'test-web');
    await generateDemoAssets({ mediaRoot: path.join(dataDir, 'media'), count: 1, durationSeconds: VIDEO_SECONDS });
    expect(await ensureWebAppBuild(() => undefined)).toBe(true);
    database = await createTestDatabase('e2e_web');
    // The services inherit this process's environment: the router runs only the registered operations.
    process.env.PERSISTED_QUERIES_ONLY = 'true';
    const config = loadLauncherConfig({
      DATABASE_URL: database.url,
      PORT: '0',
      LOG_LEVEL: 'warn',
      CACHE_KEY_PREFIX: cacheKeyPrefix,
      RATE_LIMIT: '0',
      REPLICAS: '1',
      DEMO_VIDEOS: '1',
      DATA_DIR: dataDir,
    });
    platform = await startPlatform(config, () => undefined);
    origin = new URL(platform.routerUrl).origin;
    await platform.mediaReady;
    // The film of the evening: one with few votes, so that one more visibly moves its average (shown to 2 decimals),
    // and a title long enough to misspell.
    for (let id = 1; !film; id++) {
      if (id > 300) throw new Error('no film with few votes and a long word in its title among the first 300');
      const movie = (await registered<{ movie: { id: string; title: string; ratingCount: number } }>(platform.routerUrl, 'MoviePage', { id: String(id) })).data
        ?.movie;
      if (movie && movie.ratingCount >= 2 && movie.ratingCount <= 40 && /\p{L}{6,}/u.test(movie.title)) film = { id: movie.id, title: movie.title };
    }
    // Rankings and the viewing service's catalogue projection fill from the movies feed just after start-up.
    const genres = await registered<{ genres: string[] }>(platform.routerUrl, 'HomeGenres');
    for (let attempt = 0; ; attempt++) {
      const top = await registered<{ topRatedMovies: unknown[] }>(platform.routerUrl, 'TopRatedRow', { genre: genres.data!.genres[0] });
      if ((top.data?.topRatedMovies.length ?? 0) > 0) break;
      if (attempt > 150) throw new Error('ratings projection did not catch up');
      await sleep(200);
    }
    const db = createDatabase<unknown>({ connectionString: platform.databaseUrl, schema: 'public', poolSize: 1, applicationName: 'web-e2e' });
    try {
      for (let attempt = 0; ; attempt++) {
        const { rows } = await sql<{ behind: boolean }>`
          select coalesce((select max(seq) from movies.catalogue_events), 0)
               > coalesce((select last_seq from viewing.feed_cursors where feed = 'movies.catalogue'), 0) as behind`.execute(db);
        if (!rows[0]?.behind) break;
        if (attempt > 150) throw new Error('viewing projection did not catch up');
        await sleep(200);
      }
    } finally {
      await db.destroy();
    }
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        '--autoplay-policy=no-user-gesture-required',
        '--mute-audio',
      ],
    });
    mkdirSync(artifacts, { recursive: true });
    // Generous: the first run encodes the video and seeds the catalogue on a shared 2-core machine.
  }, 600_000);

  afterAll(async () => {
    delete process.env.PERSISTED_QUERIES_ONLY;
    await browser?.close();
    await platform?.stop();
    const redisUrl = process.env.REDIS_URL;
    if (redisUrl) await deleteTestKeys(redisUrl, cacheKeyPrefix).catch(() => undefined);
    await database?.drop();
  });

  async function openPage(width: number, height: number): Promise<{ page: Page; pageErrors: string[]; foreign: string[] }> {
    const page = await browser.newPage({ viewport: { width, height } });
    const pageErrors: string[] = [];
    const foreign: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    // The machine is offline: remote posters fail at once instead of waiting for DNS, and are counted.
    await page.route(
      (url) => url.protocol.startsWith('http') && url.hostname !== '127.0.0.1',
      (route) => {
        foreign.push(route.request().url());
        return route.abort();
      },
    );
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/graphql' && request.method() === 'POST') graphqlRequests.push({ body: request.postData() ?? '' });
    });
    page.on('response', (response) => {
      if (new URL(response.url()).pathname !== '/graphql') return;
      const sent = graphqlRequests.find((r) => r.body === response.request().postData() && r.status === undefined);
      if (sent) sent.status = response.status();
    });
    return { page, pageErrors, foreign };
  }

  const videoTime = (page: Page) => page.locator('video').evaluate((video) => (video as unknown as { currentTime: number }).currentTime);

  it('signs up, finds a film despite a typo, rates it, plays it, leaves and resumes where it stopped', { timeout: 300_000 }, async () => {
    const { page, pageErrors } = await openPage(1280, 800);
    const response = await page.goto(`${origin}/`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");

    // Home: rows of top-rated films by genre.
    await page
      .getByRole('heading', { name: /^Top rated / })
      .first()
      .waitFor({ timeout: 30_000 });
    await page.locator('.row-items .movie-card').first().waitFor();
    await page.screenshot({ path: path.join(artifacts, 'home.png') });

    // Sign up.
    await page.getByRole('link', { name: 'Sign up' }).click();
    await page.getByLabel('Email').fill(`viewer-${randomUUID()}@example.com`);
    await page.getByLabel('Password').fill('a long enough passphrase');
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.getByRole('button', { name: 'Log out' }).waitFor({ timeout: 30_000 });

    // Search as you type, with a typo; the film is among the results.
    const { title } = film!;
    const movieHref = `/movie/${film!.id}`;
    const typo = withTypo(title);
    expect(typo).not.toBe(title);
    await page.getByRole('searchbox', { name: 'Search films and people' }).pressSequentially(typo, { delay: 40 });
    await page.waitForURL(/\/search\?q=/);
    const result = page.locator(`[data-testid="movie-results"] a[href="${movieHref}"]`);
    await result.waitFor({ timeout: 30_000 });
    await result.click();

    // The movie page: rate it and see the average and the count change.
    await page.getByRole('heading', { level: 1, name: new RegExp(title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) }).waitFor();
    const count = page.getByTestId('rating-count');
    const before = { count: Number(await count.textContent()), average: await page.getByTestId('average-rating').textContent() };
    const averageBefore = Number(/★ ([\d.]+)/.exec(before.average ?? '')?.[1] ?? 'NaN');
    // A score on the far side of the average always moves it.
    const score = averageBefore > 5.5 ? 1 : 10;
    await page.getByRole('radio', { name: `${score} out of 10` }).check();
    await expect.poll(async () => Number(await count.textContent()), { timeout: 20_000 }).toBe(before.count + 1);
    expect(await page.getByTestId('average-rating').textContent()).not.toBe(before.average);
    await page.screenshot({ path: path.join(artifacts, 'movie.png') });

    // Play: the video plays past 5 s.
    await page.getByRole('link', { name: /Play/ }).click();
    const video = page.locator('video');
    await video.waitFor({ timeout: 30_000 });
    // Generous: on a loaded 2-core machine the first segments can take a while to arrive and decode.
    await expect.poll(() => videoTime(page), { timeout: 60_000, interval: 250 }).toBeGreaterThan(5);
    await page.screenshot({ path: path.join(artifacts, 'player.png') });
    const stoppedAt = await videoTime(page);

    // Leave; the film is under Continue watching; resume close to where it stopped.
    await page.getByRole('link', { name: 'Cinema' }).click();
    const resume = page.locator(`[data-testid="continue-watching"] a[href="${movieHref}/watch"]`);
    await resume.waitFor({ timeout: 30_000 });
    await resume.click();
    await expect.poll(() => videoTime(page), { timeout: 60_000, interval: 100 }).toBeGreaterThan(0);
    const resumedAt = await videoTime(page);
    expect(Math.abs(resumedAt - stoppedAt)).toBeLessThan(3);

    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('sent only operations of its persisted manifest, by hash, and the allow-list refused none', () => {
    expect(graphqlRequests.length).toBeGreaterThan(8);
    for (const request of graphqlRequests) {
      const body = JSON.parse(request.body) as { query?: string; extensions?: { persistedQuery?: { sha256Hash?: string } } };
      expect(registeredIds.has(body.extensions?.persistedQuery?.sha256Hash ?? '')).toBe(true);
      if (body.query !== undefined) expect(registeredIds.has(sha256(body.query))).toBe(true);
      expect(request.status).toBe(200);
    }
  });

  it('works at phone width: the movie page stacks and the rating control is reachable by keyboard', { timeout: 120_000 }, async () => {
    const { page, pageErrors } = await openPage(390, 844);
    await page.goto(`${origin}/`);
    const card = page.locator('.row-items .movie-card').first();
    await card.waitFor({ timeout: 30_000 });
    // Keyboard only: tab to the first film and open it.
    await card.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('link', { name: /Play/ }).waitFor();
    const width = Number(await page.evaluate('document.documentElement.scrollWidth'));
    expect(width).toBeLessThanOrEqual(390);
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});
