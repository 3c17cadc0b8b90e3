import { CatalogueError } from './catalogue-error.js';
import { openCatalogueDatabases } from './catalogue-databases.js';

/** PostgreSQL's `undefined_table`: the schemas are not migrated. */
const undefinedTable = '42P01';

/**
 * Whether the catalogue holds no films, genres, people, credits, users nor ratings. The loaders assign ids
 * themselves and never mix a new catalogue into an old one, so they refuse unless every one of these is empty.
 */
export async function isCatalogueEmpty(connectionString: string): Promise<boolean> {
  const { movies, people, ratings, destroy } = openCatalogueDatabases(connectionString, 'cinema-loader');
  try {
    const found = await Promise.all([
      movies.selectFrom('movies').select('id').limit(1).executeTakeFirst(),
      movies.selectFrom('genres').select('id').limit(1).executeTakeFirst(),
      people.selectFrom('people').select('id').limit(1).executeTakeFirst(),
      people.selectFrom('credits').select('id').limit(1).executeTakeFirst(),
      ratings.selectFrom('users').select('id').limit(1).executeTakeFirst(),
      ratings.selectFrom('ratings').select('user_id').limit(1).executeTakeFirst(),
    ]);
    return found.every((row) => row === undefined);
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === undefinedTable) {
      throw new CatalogueError('SCHEMA_NOT_MIGRATED', `The database has no catalogue tables (${error.message}); run \`npm run db:migrate\` first.`);
    }
    throw error;
  } finally {
    await destroy();
  }
}
