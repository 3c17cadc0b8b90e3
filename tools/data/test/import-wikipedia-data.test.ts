import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js';
import { formatImportReport, type ImportReport } from '../src/import/import-report.js';
import { importWikipediaMovies } from '../src/import/import-wikipedia-movies.js';
import { openCatalogueDatabases, type CatalogueDatabases } from '../src/seed/catalogue-databases.js';
import { repoRoot } from '../src/service-schemas.js';

/** The real data set lives beside the repository, never in it (see its README). */
const dataFolder = path.resolve(repoRoot, '../shared/data/wikipedia-movies');
const available = existsSync(dataFolder);
if (!available) console.warn(`\n*** ${dataFolder} is missing: SKIPPING the import of the real Wikipedia data ***\n`);

describe.skipIf(!available)('importWikipediaMovies on the real Wikipedia data', () => {
  let database: TestDatabase;
  let db: CatalogueDatabases;
  let report: ImportReport;

  beforeAll(async () => {
    database = await createTestDatabase('import_wikipedia');
    db = openCatalogueDatabases(database.url, 'import-test');
    report = await importWikipediaMovies(database.url, dataFolder);
    console.info(formatImportReport(report));
  });

  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  it('imports more than 35,000 films, accounting for every record, well under a minute', async () => {
    expect(report.files).toBe(13);
    expect(report.imported).toBeGreaterThan(35_000);
    const skipped = Object.values(report.skipped).reduce((sum, count) => sum + count, 0);
    expect(report.imported + report.merged + skipped).toBe(report.recordsRead);
    expect(report.merged).toBeGreaterThan(100);
    expect(report.ratings).toBe(100_000);
    expect(report.durationMs).toBeLessThan(60_000);
    const movies = await db.movies
      .selectFrom('movies')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .executeTakeFirstOrThrow();
    const events = await db.movies
      .selectFrom('catalogue_events')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .executeTakeFirstOrThrow();
    expect(movies.count).toBe(report.imported);
    expect(events.count).toBe(report.imported);
  });

  it('has The Godfather (1972) once, with its cast cleaned and in billing order', async () => {
    const godfather = await db.movies
      .selectFrom('movies')
      .select(['id', 'overview', 'poster_url'])
      .where('title', '=', 'The Godfather')
      .where('year', '=', 1972)
      .execute();
    expect(godfather).toHaveLength(1);
    const cast = await db.people
      .selectFrom('credits')
      .innerJoin('people', 'people.id', 'credits.person_id')
      .select(['name', 'billing_order'])
      .where('movie_id', '=', godfather[0]?.id ?? 0)
      .where('kind', '=', 'cast')
      .orderBy('billing_order')
      .execute();
    expect(cast.map((credit) => credit.billing_order)).toEqual(cast.map((_, index) => index));
    expect(cast.slice(0, 5).map((credit) => credit.name)).toEqual(['Marlon Brando', 'Al Pacino', 'James Caan', 'Robert Duvall', 'John Cazale']);
    expect(cast).toHaveLength(19);
    expect(godfather[0]?.overview).toMatch(/^The Godfather is a 1972 American crime film/);
  });

  it('leaves no cast debris among the people and re-attaches lone suffixes', async () => {
    const debris = await db.people
      .selectFrom('people')
      .select('name')
      .where((eb) => eb.or([eb('name', 'in', ['and', '.', '(', ')', 'Sr.', 'Jr.', '&', 'Best Actor', 'nominee)']), eb('name', '~', '[][]|^\\(|\\)$')]))
      .execute();
    expect(debris).toEqual([]);
    const housePeters = await db.people.selectFrom('people').select('name').where('name', '=', 'House Peters Sr.').execute();
    expect(housePeters).toHaveLength(1);
  });
});
