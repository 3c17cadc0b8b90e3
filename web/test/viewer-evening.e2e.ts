import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createDatabase } from '@cinema/db';
import { repoRoot } from '@cinema/data-tools';
import { sql } from 'kysely';
import { chromium, type Browser, type Page, type Request } from 'playwright-core';
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
  return sendText<T>(routerUrl, operation(name).body, variables);
}

/** Any operation text through the router, with the error codes it answered. */
async function sendText<T>(
  routerUrl: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<{ status: number; data?: T; codes: unknown[] }> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) };
  const response = await fetch(routerUrl, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as { data?: T; errors?: { extensions?: { code?: unknown } }[] };
  return { status: response.status, ...(body.data ? { data: body.data } : {}), codes: (body.errors ?? []).map((error) => error.extensions?.code) };
}

interface SignedUp {
  signUp: { token: string; expiresAt: string; user: { id: string } };
}

/** A new account, signed up through the app's own registered operation. */
async function signUpViewer(routerUrl: string): Promise<{ token: string; expiresAt: string; userId: string; email: string }> {
  const email = `viewer-${randomUUID()}@example.com`;
  const { data } = await registered<SignedUp>(routerUrl, 'SignUp', { email, password: 'a long enough passphrase' });
  if (!data) throw new Error('sign-up failed');
  return { token: data.signUp.token, expiresAt: data.signUp.expiresAt, userId: data.signUp.user.id, email };
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
  /**
   * Every GraphQL request the page made, as sent, with the router's status, or how the browser gave up on it. The app
   * cancels its own requests in flight when they no longer matter (logging out resets the client's store): those end
   * with `net::ERR_ABORTED` and no answer, more often the slower the machine.
   */
  const graphqlRequests: { body: string; request: Request; status?: number; failure?: string }[] = [];

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
      type Candidate = { id: string; title: string; ratingCount: number; overview: string | null; cast: unknown[] };
      const movie = (await registered<{ movie: Candidate | null }>(platform.routerUrl, 'MoviePage', { id: String(id) })).data?.movie;
      // With an overview (its attribution is checked) and a cast (a cast link is followed to the person's page).
      const fits = movie && movie.ratingCount >= 2 && movie.ratingCount <= 40 && /\p{L}{6,}/u.test(movie.title) && movie.overview && movie.cast.length > 0;
      if (movie && fits) film = { id: movie.id, title: movie.title };
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

  /** A fresh browser context; with `session`, signed in as the app keeps a session (see web/src/auth/token-store.ts). */
  async function openPage(width: number, height: number, session?: object): Promise<{ page: Page; pageErrors: string[]; foreign: string[] }> {
    const page = await browser.newPage({ viewport: { width, height } });
    if (session) await page.addInitScript(`localStorage.setItem('cinema.session', ${JSON.stringify(JSON.stringify(session))})`);
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
      if (new URL(request.url()).pathname === '/graphql' && request.method() === 'POST') graphqlRequests.push({ body: request.postData() ?? '', request });
    });
    page.on('response', (response) => {
      if (new URL(response.url()).pathname !== '/graphql') return;
      const sent = graphqlRequests.find((r) => r.request === response.request());
      if (sent) sent.status = response.status();
    });
    page.on('requestfailed', (request) => {
      const sent = graphqlRequests.find((r) => r.request === request);
      if (sent) sent.failure = request.failure()?.errorText ?? 'unknown';
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
    const email = `viewer-${randomUUID()}@example.com`;
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('a long enough passphrase');
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.getByRole('button', { name: 'Log out' }).waitFor({ timeout: 30_000 });

    // Search as you type, with a typo; the film is among the results.
    const { title } = film!;
    const movieHref = `/movie/${film!.id}`;
    const typo = withTypo(title);
    expect(typo).not.toBe(title);
    const sentBeforeTyping = graphqlRequests.length;
    await page.getByRole('searchbox', { name: 'Search films and people' }).pressSequentially(typo, { delay: 40 });
    await page.waitForURL(/\/search\?q=/);
    const result = page.locator(`[data-testid="movie-results"] a[href="${movieHref}"]`);
    await result.waitFor({ timeout: 30_000 });
    // Debounced: a search per pause in typing, not per keystroke (a key every 40 ms is well inside the 250 ms pause;
    // the bound leaves room for a loaded machine stalling between some keys).
    const searches = graphqlRequests
      .slice(sentBeforeTyping)
      .filter((request) => (JSON.parse(request.body) as { operationName?: string }).operationName === 'Search');
    expect(searches.length).toBeGreaterThanOrEqual(1);
    expect(searches.length).toBeLessThan(typo.length / 2);
    await result.click();

    // The movie page: rate it and see the average and the count change.
    await page.getByRole('heading', { level: 1, name: new RegExp(title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) }).waitFor();
    // The poster is the generated placeholder (remote images are blocked: the machine is offline), never a broken image.
    await expect.poll(() => page.locator('.poster-large .poster-title').textContent()).toContain(title);
    await expect.poll(() => page.locator('.poster-large img').count()).toBe(0);
    await page.getByRole('link', { name: 'CC BY-SA 4.0' }).waitFor();
    const count = page.getByTestId('rating-count');
    const before = { count: Number(await count.textContent()), average: await page.getByTestId('average-rating').textContent() };
    const averageBefore = Number(/★ ([\d.]+)/.exec(before.average ?? '')?.[1] ?? 'NaN');
    // A score on the far side of the average always moves it.
    const score = averageBefore > 5.5 ? 1 : 10;
    await page.getByRole('radio', { name: `${score} out of 10` }).check();
    await expect.poll(async () => Number(await count.textContent()), { timeout: 20_000 }).toBe(before.count + 1);
    expect(await page.getByTestId('average-rating').textContent()).not.toBe(before.average);
    await page.screenshot({ path: path.join(artifacts, 'movie.png') });

    // The cast links to people; a person's page lists their films, this one among them.
    const castLink = page.locator('section[aria-labelledby="cast-heading"] a').first();
    const person = (await castLink.textContent()) ?? '';
    await castLink.click();
    await page.getByRole('heading', { level: 1, name: person }).waitFor();
    await page.locator(`.grid a[href="${movieHref}"]`).waitFor();
    await page.goBack();

    // Play: the video plays past 5 s, through hls.js (Media Source Extensions) over an adaptive multi-rendition stream.
    const playlists: Promise<string>[] = [];
    const onPlaylist = (response: { url(): string; text(): Promise<string> }) => {
      if (/\.m3u8(\?|$)/.test(new URL(response.url()).pathname + new URL(response.url()).search)) playlists.push(response.text().catch(() => ''));
    };
    page.on('response', onPlaylist);
    await page.getByRole('link', { name: /Play/ }).click();
    const video = page.locator('video');
    await video.waitFor({ timeout: 30_000 });
    // Generous: on a loaded 2-core machine the first segments can take a while to arrive and decode.
    await expect.poll(() => videoTime(page), { timeout: 60_000, interval: 250 }).toBeGreaterThan(5);
    await page.screenshot({ path: path.join(artifacts, 'player.png') });
    const stoppedAt = await videoTime(page);
    page.off('response', onPlaylist);
    expect(await video.evaluate((element) => (element as unknown as { src: string }).src)).toMatch(/^blob:/);
    const master = (await Promise.all(playlists)).find((text) => text.includes('#EXT-X-STREAM-INF'));
    expect(master, 'a master playlist').toBeDefined();
    expect(master!.match(/#EXT-X-STREAM-INF/g)!.length).toBeGreaterThanOrEqual(2);

    // Leave; the film is under Continue watching; resume close to where it stopped.
    await page.getByRole('link', { name: 'Cinema' }).click();
    const resume = page.locator(`[data-testid="continue-watching"] a[href="${movieHref}/watch"]`);
    await resume.waitFor({ timeout: 30_000 });
    await resume.click();
    await expect.poll(() => videoTime(page), { timeout: 60_000, interval: 100 }).toBeGreaterThan(0);
    const resumedAt = await videoTime(page);
    expect(Math.abs(resumedAt - stoppedAt)).toBeLessThan(3);

    // Log out: the viewer's own row goes with their session; log in again: it is back.
    await page.getByRole('link', { name: 'Cinema' }).click();
    await resume.waitFor();
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('link', { name: 'Log in' }).waitFor();
    await page.locator('.row-items .movie-card').first().waitFor();
    expect(await page.getByTestId('continue-watching').count()).toBe(0);
    await page.getByRole('link', { name: 'Log in' }).click();
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('a long enough passphrase');
    await page.getByRole('button', { name: 'Log in' }).click();
    await resume.waitFor({ timeout: 30_000 });

    // Every request the page sent is answered before it closes (the next test checks each answer's status).
    await expect
      .poll(() => graphqlRequests.filter((request) => request.status === undefined && request.failure === undefined).map((request) => request.body), {
        timeout: 30_000,
      })
      .toEqual([]);
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('sent only operations of its persisted manifest, by hash, and the allow-list refused none', async () => {
    // The router really is in allow-list mode: an operation outside the manifest is refused.
    const unregistered = await sendText(platform.routerUrl, 'query NotInTheApp { genres }');
    expect([unregistered.status, unregistered.codes]).toEqual([403, ['OPERATION_NOT_ALLOWED']]);
    expect(graphqlRequests.length).toBeGreaterThan(8);
    for (const request of graphqlRequests) {
      // Cancelled by the page itself (see `graphqlRequests`); anything else unanswered fails below.
      if (request.status === undefined && request.failure === 'net::ERR_ABORTED') continue;
      const body = JSON.parse(request.body) as { query?: string; extensions?: { persistedQuery?: { sha256Hash?: string } } };
      expect(registeredIds.has(body.extensions?.persistedQuery?.sha256Hash ?? '')).toBe(true);
      if (body.query !== undefined) expect(registeredIds.has(sha256(body.query))).toBe(true);
      expect(request.status, request.body).toBe(200);
    }
  });

  it('works at phone width and from the keyboard alone: Tab to a film, open it, Tab past Play to the rating and rate', { timeout: 120_000 }, async () => {
    const viewer = await signUpViewer(platform.routerUrl);
    const { page, pageErrors } = await openPage(390, 844, viewer);
    await page.goto(`${origin}/`);
    await page.locator('.row-items .movie-card').first().waitFor({ timeout: 30_000 });
    /** Presses Tab until the focused element matches `selector` (bounded), returning what focus passed through. */
    const tabTo = async (selector: string) => {
      const passed: string[] = [];
      for (let presses = 0; presses < 60; presses++) {
        await page.keyboard.press('Tab');
        // A string, evaluated in the page: this file is compiled without the DOM's types.
        const focused = await page.evaluate<{ matches: boolean; text: string }>(`(() => {
          const element = document.activeElement;
          return { matches: !!element && element.matches(${JSON.stringify(selector)}), text: (element && (element.getAttribute('aria-label') || element.textContent) || '').trim() };
        })()`);
        passed.push(focused.text);
        if (focused.matches) return passed;
      }
      throw new Error(`Tab never reached ${selector}; focus went through ${passed.join(' | ')}`);
    };
    await tabTo('.row-items .movie-card');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.getByRole('link', { name: /Play/ }).waitFor();
    const count = Number(await page.getByTestId('rating-count').textContent());
    const passed = await tabTo('input[type="radio"]');
    expect(passed.some((text) => text.includes('Play'))).toBe(true);
    // Space checks the focused radio (the first score of a group with none chosen): the film is rated 1.
    await page.keyboard.press('Space');
    await expect.poll(async () => Number(await page.getByTestId('rating-count').textContent()), { timeout: 20_000 }).toBe(count + 1);
    await page.reload();
    await page.getByText('Your rating: 1/10').waitFor({ timeout: 30_000 });
    // Phone width: nothing wider than the screen (the poster and details stack).
    const width = Number(await page.evaluate('document.documentElement.scrollWidth'));
    expect(width).toBeLessThanOrEqual(390);
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('says so, with a way to try again, when the film cannot be streamed', { timeout: 120_000 }, async () => {
    const viewer = await signUpViewer(platform.routerUrl);
    const { page } = await openPage(1280, 800, viewer);
    // The chunk servers cannot be reached: every playlist request fails as a dropped connection would.
    let playlistRequests = 0;
    await page.route(/\.m3u8(\?|$)/, (route) => {
      playlistRequests += 1;
      return route.abort('connectionrefused');
    });
    await page.goto(`${origin}/movie/${film!.id}/watch`);
    const alert = page.getByRole('alert');
    await alert.getByText('Streaming is unavailable right now').waitFor({ timeout: 30_000 });
    expect(playlistRequests).toBeGreaterThan(0);
    await alert.getByRole('button', { name: 'Try again' }).waitFor();
    await page.close();
  });

  it('keeps the position of a viewer who logs out while the film plays', { timeout: 120_000 }, async () => {
    const viewer = await signUpViewer(platform.routerUrl);
    const { page, pageErrors } = await openPage(1280, 800, viewer);
    await page.goto(`${origin}/movie/${film!.id}/watch`);
    await page.locator('video').waitFor({ timeout: 30_000 });
    // Before the first periodic save (5 s after the player mounts, PROGRESS_INTERVAL_MS) where the machine allows.
    await expect.poll(() => videoTime(page), { timeout: 60_000, interval: 100 }).toBeGreaterThan(1);
    const atLogOut = await videoTime(page);
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('link', { name: 'Log in' }).first().waitFor();
    const saved = async () =>
      (
        await sendText<{ movie: { myProgress: { positionSeconds: number } | null } }>(
          platform.routerUrl,
          operation('WatchMovie').body,
          { id: film!.id },
          viewer.token,
        )
      ).data?.movie.myProgress?.positionSeconds ?? null;
    // The save on leaving carries the position at log-out (timeupdate follows it every ~250 ms), not an earlier one.
    await expect.poll(saved, { timeout: 20_000 }).toBeGreaterThanOrEqual(atLogOut - 0.5);
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('says when a film or a person does not exist', { timeout: 60_000 }, async () => {
    const { page, pageErrors } = await openPage(1280, 800);
    await page.goto(`${origin}/movie/2000000000`);
    await page.getByText('We could not find that film.').waitFor({ timeout: 30_000 });
    // Nothing to try again: the film is not there.
    expect(await page.getByRole('button', { name: 'Try again' }).count()).toBe(0);
    await page.goto(`${origin}/person/2000000000`);
    await page.getByText('We could not find that person.').waitFor({ timeout: 30_000 });
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});
