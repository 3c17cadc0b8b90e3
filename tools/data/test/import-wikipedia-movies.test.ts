import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js';
import type { ImportReport } from '../src/import/import-report.js';
import { importWikipediaMovies } from '../src/import/import-wikipedia-movies.js';
import { openCatalogueDatabases, type CatalogueDatabases } from '../src/seed/catalogue-databases.js';
import { isCatalogueEmpty } from '../src/seed/is-catalogue-empty.js';

/** Two decade files with the data's usual mess: debris in casts, duplicates by slug and by title, bad records. */
const fixture = {
  'movies-1970s.json': [
    {
      title: 'The Godfather',
      year: 1972,
      cast: ['  Marlon Brando ', 'Al Pacino', 'and', 'James Caan', '.', 'Al Pacino'],
      genres: ['crime', ' Drama '],
      href: 'The_Godfather',
      extract: 'The Godfather is a 1972 American crime film.',
      thumbnail: 'https://upload.wikimedia.org/godfather.jpg',
    },
    {
      title: 'Star Wars',
      year: 1977,
      cast: ['Mark Hamill', 'Harrison Ford', 'Alec Guinness', '(', 'Best Supporting Actor', 'nominee)'],
      genres: ['science fiction', 'Adventure'],
      href: 'Star_Wars_(film)',
    },
    // Same article: merged into Star Wars, which takes its extract.
    {
      title: 'Star Wars: A New Hope',
      year: 1977,
      cast: ['Carrie Fisher', 'Mark Hamill'],
      genres: ['Science Fiction', 'fantasy'],
      href: 'Star_Wars_(film)',
      extract: 'A space opera.',
    },
    // Same title and year, no article: merged into The Godfather.
    { title: 'the godfather', year: 1972, cast: ['Robert Duvall', 'Sr.'], genres: ['DRAMA'], href: null },
    // Same title and year, different articles: two films.
    { title: 'Jaws', year: 1975, cast: ['Roy Scheider', 'Robert Shaw'], genres: ['Thriller'], href: 'Jaws_(film)' },
    { title: 'Jaws', year: 1975, cast: ['Robert Shaw'], genres: ['Documentary'], href: 'Jaws_(documentary)' },
    42,
    null,
    'Rocky',
    [],
    { year: 1976, cast: ['Sylvester Stallone'] },
    { title: 'Rocky', year: '1976' },
  ],
  'movies-1980s.json': [
    { title: 'Blade Runner', year: 1982, cast: ['Harrison Ford', 'Rutger Hauer', 'Sean Young'], genres: ['Science Fiction'], href: 'Blade_Runner' },
    { title: 'Metropolis', year: 1700, cast: [] },
    { title: 'Airplane!', year: 1980, cast: 'Leslie Nielsen' },
    { title: 'Ghostbusters', year: 1984 },
  ],
  'notes.json': { ignored: true },
};

const expectedReport: Omit<ImportReport, 'durationMs'> = {
  files: 2,
  recordsRead: 16,
  imported: 6,
  merged: 2,
  skipped: { 'not-an-object': 4, 'missing-title': 1, 'invalid-year': 1, 'year-out-of-range': 1, 'invalid-cast': 1 },
  castEntriesDropped: 7,
  people: 12,
  credits: 14,
  genres: 7,
  users: 3_000,
  ratings: 60,
};

/** A temporary folder with these files; text is written as is, anything else as JSON. */
async function writeFolder(files: Record<string, unknown>): Promise<string> {
  const folder = await mkdtemp(path.join(os.tmpdir(), 'cinema-import-'));
  const write = ([name, content]: [string, unknown]) => writeFile(path.join(folder, name), typeof content === 'string' ? content : JSON.stringify(content));
  await Promise.all(Object.entries(files).map(write));
  return folder;
}

describe('importWikipediaMovies on a small fixture', () => {
  let database: TestDatabase;
  let db: CatalogueDatabases;
  const folders: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('import_fixture');
    db = openCatalogueDatabases(database.url, 'import-test');
    folders.push(await writeFolder(fixture));
  });

  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
    await Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true })));
  });

  it('stops on an unusable folder or file before writing anything', async () => {
    const empty = await writeFolder({ 'notes.json': [] });
    const broken = await writeFolder({ 'movies-1990s.json': '[{"title": ' });
    const notArray = await writeFolder({ 'movies-1990s.json': { title: 'Heat' } });
    folders.push(empty, broken, notArray);
    await expect(importWikipediaMovies(database.url, path.join(empty, 'missing'))).rejects.toMatchObject({ code: 'FOLDER_NOT_FOUND' });
    await expect(importWikipediaMovies(database.url, empty)).rejects.toMatchObject({ code: 'NO_INPUT_FILES' });
    await expect(importWikipediaMovies(database.url, broken)).rejects.toMatchObject({ code: 'INVALID_FILE' });
    await expect(importWikipediaMovies(database.url, notArray)).rejects.toMatchObject({ code: 'INVALID_FILE' });
    await expect(importWikipediaMovies(database.url, folders[0] ?? '', { ratingsPerMovie: 5_000 })).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
    expect(await isCatalogueEmpty(database.url)).toBe(true);
  });

  it('imports the clean films and reports exactly what it read, merged and skipped', async () => {
    const progress: string[] = [];
    const report = await importWikipediaMovies(database.url, folders[0] ?? '', { ratingsPerMovie: 10, onProgress: (line) => progress.push(line) });
    expect(report).toEqual({ ...expectedReport, durationMs: expect.any(Number) });
    expect(progress).toContain('cleaned 16 records: 6 films, 2 merged, 8 skipped');
  });

  it('writes merged films with united casts and genres, first texts, in input order', async () => {
    const movies = await db.movies.selectFrom('movies').select(['id', 'title', 'year', 'overview', 'poster_url', 'wikipedia_slug']).orderBy('id').execute();
    expect(movies).toEqual([
      {
        id: 1,
        title: 'The Godfather',
        year: 1972,
        overview: 'The Godfather is a 1972 American crime film.',
        poster_url: 'https://upload.wikimedia.org/godfather.jpg',
        wikipedia_slug: 'The_Godfather',
      },
      { id: 2, title: 'Star Wars', year: 1977, overview: 'A space opera.', poster_url: null, wikipedia_slug: 'Star_Wars_(film)' },
      { id: 3, title: 'Jaws', year: 1975, overview: null, poster_url: null, wikipedia_slug: 'Jaws_(film)' },
      { id: 4, title: 'Jaws', year: 1975, overview: null, poster_url: null, wikipedia_slug: 'Jaws_(documentary)' },
      { id: 5, title: 'Blade Runner', year: 1982, overview: null, poster_url: null, wikipedia_slug: 'Blade_Runner' },
      { id: 6, title: 'Ghostbusters', year: 1984, overview: null, poster_url: null, wikipedia_slug: null },
    ]);
    const cast = await db.people
      .selectFrom('credits')
      .innerJoin('people', 'people.id', 'credits.person_id')
      .select(['movie_id', 'name', 'kind', 'character'])
      .orderBy('movie_id')
      .orderBy('billing_order')
      .execute();
    const names = (movieId: number) => cast.filter((credit) => credit.movie_id === movieId).map((credit) => credit.name);
    expect(names(1)).toEqual(['Marlon Brando', 'Al Pacino', 'James Caan', 'Robert Duvall Sr.']);
    expect(names(2)).toEqual(['Mark Hamill', 'Harrison Ford', 'Alec Guinness', 'Carrie Fisher']);
    expect(cast.every((credit) => credit.kind === 'cast' && credit.character === null)).toBe(true);
    const harrisonFord = await db.people.selectFrom('people').select('id').where('name', '=', 'Harrison Ford').execute();
    expect(harrisonFord).toHaveLength(1);
  });

  it('writes normalized genres and one outbox event per film with them', async () => {
    const genres = await db.movies.selectFrom('genres').select('name').orderBy('id').execute();
    expect(genres.map((genre) => genre.name)).toEqual(['Crime', 'Drama', 'Science Fiction', 'Adventure', 'Fantasy', 'Thriller', 'Documentary']);
    const events = await db.movies.selectFrom('catalogue_events').select(['seq', 'movie_id', 'kind', 'genres']).orderBy('seq').execute();
    expect(events).toEqual([
      { seq: 1, movie_id: 1, kind: 'movie.upserted', genres: ['Crime', 'Drama'] },
      { seq: 2, movie_id: 2, kind: 'movie.upserted', genres: ['Science Fiction', 'Adventure', 'Fantasy'] },
      { seq: 3, movie_id: 3, kind: 'movie.upserted', genres: ['Thriller'] },
      { seq: 4, movie_id: 4, kind: 'movie.upserted', genres: ['Documentary'] },
      { seq: 5, movie_id: 5, kind: 'movie.upserted', genres: ['Science Fiction'] },
      { seq: 6, movie_id: 6, kind: 'movie.upserted', genres: [] },
    ]);
  });

  it('generates synthetic ratings and their statistics', async () => {
    const stats = await db.ratings.selectFrom('movie_rating_stats').select(['movie_id', 'rating_count']).execute();
    expect(stats.reduce((sum, row) => sum + row.rating_count, 0)).toBe(expectedReport.ratings);
  });

  it('refuses a non-empty catalogue without replace', async () => {
    await expect(importWikipediaMovies(database.url, folders[0] ?? '')).rejects.toMatchObject({ code: 'CATALOGUE_NOT_EMPTY' });
  });

  it('replaces the catalogue of all three schemas, ids and outbox restarting at 1, when asked', async () => {
    await db.ratings.insertInto('feed_cursors').values({ feed: 'catalogue', last_seq: 6 }).execute();
    const priorWeight = (await db.ratings.selectFrom('rating_prior').select('weight').executeTakeFirstOrThrow()).weight;
    const report = await importWikipediaMovies(database.url, folders[0] ?? '', { replace: true, ratingsPerMovie: 10 });
    expect(report).toEqual({ ...expectedReport, durationMs: expect.any(Number) });
    const movieIds = await db.movies.selectFrom('movies').select('id').orderBy('id').execute();
    expect(movieIds.map((movie) => movie.id)).toEqual([1, 2, 3, 4, 5, 6]);
    const events = await db.movies.selectFrom('catalogue_events').select('seq').orderBy('seq').execute();
    expect(events.map((event) => event.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(await db.ratings.selectFrom('feed_cursors').selectAll().execute()).toEqual([]);
    expect(await db.people.selectFrom('people').select('id').execute()).toHaveLength(expectedReport.people);
    expect((await db.ratings.selectFrom('rating_prior').select('weight').executeTakeFirstOrThrow()).weight).toBe(priorWeight);
  });
});
