import { createDatabase, NotificationListener } from '@cinema/db';
import { CATALOGUE_EVENTS_CHANNEL } from '@cinema/kit/catalogue-feed';
import { DEVELOPMENT_SUBGRAPH_SECRET } from '@cinema/kit/config';
import { createLogger } from '@cinema/kit/logging';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { querySubgraph, startSubgraph, type RunningSubgraph } from '../../../test/support/subgraph-harness.js';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js';
import type { MoviesDatabase } from '../../movies/src/db/database.js';
import { createMoviesServer } from '../../movies/src/server.js';
import { createCatalogueSync, type CatalogueSync } from '../src/catalogue-sync.js';
import type { RatingsDatabase } from '../src/db/database.js';
import { findTopRatedMovieIds } from '../src/ranking.repository.js';

let database: TestDatabase;
let moviesDb: Kysely<MoviesDatabase>;
let ratingsDb: Kysely<RatingsDatabase>;
let movies: RunningSubgraph;
let sync: CatalogueSync;
let listener: NotificationListener;

const logger = createLogger('catalogue-notifications-test', 'silent');
const editor = { userId: 'eve', roles: ['editor'] };
const setGenres = (id: number, genres: string[]) =>
  querySubgraph(movies.url, `mutation($id: ID!, $g: [String!]!) { setMovieGenres(movieId: $id, genres: $g) { id } }`, { id: String(id), g: genres }, editor);
const inRanking = (genre: string) => findTopRatedMovieIds(ratingsDb, { genre, limit: 100, minVotes: 0 });

beforeAll(async () => {
  database = await createTestDatabase('catalogue_notify');
  moviesDb = createDatabase<MoviesDatabase>({ connectionString: database.url, schema: 'movies', poolSize: 4 });
  ratingsDb = createDatabase<RatingsDatabase>({ connectionString: database.url, schema: 'ratings', poolSize: 4 });
  await moviesDb
    .insertInto('genres')
    .values([{ name: 'Drama' }, { name: 'Western' }])
    .execute();
  await moviesDb
    .insertInto('movies')
    .values([{ title: 'Stagecoach' }, { title: 'Rio Bravo' }])
    .execute();
  movies = await startSubgraph(await createMoviesServer({ db: moviesDb, logger, development: false, subgraphSecret: DEVELOPMENT_SUBGRAPH_SECRET }));
  // A poll period far beyond the test's bounds: whatever arrives in time came through the notifications.
  sync = createCatalogueSync(ratingsDb, { moviesFeedUrls: [movies.url], logger, catalogueSyncIntervalMs: 60_000, subgraphSecret: DEVELOPMENT_SUBGRAPH_SECRET });
  listener = new NotificationListener({
    connectionString: database.url,
    channel: CATALOGUE_EVENTS_CHANNEL,
    onNotification: () => sync.wake(),
    retryDelayMs: 100,
  });
  sync.start();
  listener.start();
});

afterAll(async () => {
  await listener?.stop();
  await sync?.stop();
  await movies?.close();
  await Promise.all([moviesDb?.destroy(), ratingsDb?.destroy()]);
  await database?.drop();
});

/**
 * How long a notified change may take to reach the rankings: it takes milliseconds, but end-to-end files run beside
 * this one on two cores; 20 s is generous for that and still a third of the 60 s poll it must not be waiting for.
 */
const ARRIVAL_MS = 20_000;

describe('catalogue notifications', () => {
  it('bring a genre change into the rankings without waiting for the poll', async () => {
    expect((await setGenres(1, ['Western'])).body.errors).toBeUndefined();
    // The poll runs every 60 s (above), so arriving within ARRIVAL_MS can only be the notification's doing.
    await expect.poll(() => inRanking('Western'), { timeout: ARRIVAL_MS, interval: 20 }).toEqual([1]);
  });

  it('coalesce a burst of changes, the projection ending on the last of each film', async () => {
    for (let i = 0; i < 10; i++) await setGenres((i % 2) + 1, i % 3 === 0 ? ['Drama'] : ['Drama', 'Western']);
    await expect.poll(async () => [await inRanking('Drama'), await inRanking('Western')], { timeout: ARRIVAL_MS, interval: 20 }).toEqual([[1, 2], [1]]);
  });

  it('resume after the listening connection is killed, catching up on what happened meanwhile', async () => {
    await sql`select pg_terminate_backend(pid) from pg_stat_activity where query ilike 'listen%' and datname = current_database()`.execute(ratingsDb);
    expect((await setGenres(2, ['Western'])).body.errors).toBeUndefined();
    await expect.poll(() => inRanking('Western'), { timeout: ARRIVAL_MS, interval: 50 }).toEqual([1, 2]);
  });
});
