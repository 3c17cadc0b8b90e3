import { createDatabase } from '@cinema/db';
import { DEVELOPMENT_SUBGRAPH_SECRET } from '@cinema/kit/config';
import { createLogger } from '@cinema/kit/logging';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes } from '../../../test/support/graphql-client.js';
import { querySubgraph, startSubgraph, type RunningSubgraph } from '../../../test/support/subgraph-harness.js';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js';
import type { PeopleDatabase } from '../src/db/database.js';
import { createPeopleServer } from '../src/server.js';

let database: TestDatabase;
let db: Kysely<PeopleDatabase>;
let people: RunningSubgraph;

const names = ['Al Pacino', 'Marlon Brando', 'Diane Keaton', 'Alan Parker', 'Robert De Niro', 'Robert Duvall', 'Penélope Cruz'];
const SEARCH = `query($q: String!, $first: Int) { searchPeople(query: $q, first: $first) { id name } }`;
const search = async (q: string, first?: number) => {
  const response = await querySubgraph(people.url, SEARCH, { q, ...(first !== undefined ? { first } : {}) });
  return { response, names: (response.body.data?.searchPeople ?? []).map((person: { name: string }) => person.name) as string[] };
};

beforeAll(async () => {
  database = await createTestDatabase('person_search');
  db = createDatabase<PeopleDatabase>({ connectionString: database.url, schema: 'people', poolSize: 2 });
  await db
    .insertInto('people')
    .values(names.map((name) => ({ name })))
    .execute();
  people = await startSubgraph(
    await createPeopleServer({ db, logger: createLogger('people', 'silent'), development: false, subgraphSecret: DEVELOPMENT_SUBGRAPH_SECRET }),
  );
});

afterAll(async () => {
  await people?.close();
  await db?.destroy();
  await database?.drop();
});

describe('Query.searchPeople', () => {
  it('finds people by one of their names and despite typos', async () => {
    expect((await search('pacino')).names[0]).toBe('Al Pacino');
    expect((await search('Al Pacnio')).names[0]).toBe('Al Pacino');
    expect((await search('marlon brandoo')).names[0]).toBe('Marlon Brando');
    expect((await search('Robert')).names.sort()).toEqual(['Robert De Niro', 'Robert Duvall']);
    expect((await search('Penelope Cruz')).names[0]).toBe('Penélope Cruz');
  });

  it('returns at most `first` people, and BAD_USER_INPUT for blank, over-long text or a page over 50', async () => {
    expect((await search('robert', 1)).names).toHaveLength(1);
    expect(errorCodes((await search('  ')).response)).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes((await search('x'.repeat(201))).response)).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes((await search('robert', 51)).response)).toEqual(['BAD_USER_INPUT']);
  });

  it('never fails on odd input', async () => {
    for (const text of ["O'Brien", '"', '\\', '&|!:*', "'); delete from people; --", '🎭', '\u0000', 'Z'.repeat(200)]) {
      const { response } = await search(text);
      expect(response.status, JSON.stringify(text)).toBe(200);
      expect(
        errorCodes(response).filter((code) => code !== 'BAD_USER_INPUT'),
        JSON.stringify(text),
      ).toEqual([]);
    }
    expect(
      await db
        .selectFrom('people')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .executeTakeFirstOrThrow(),
    ).toEqual({ count: names.length });
  });
});
