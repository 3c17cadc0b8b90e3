import { anyOf } from '@cinema/db';
import type { Kysely } from 'kysely';
import type { PeopleDatabase, PersonRow } from './db/database.js';

/** The columns of a person row, named because the table also holds `search_document`, which only search reads. */
export const personColumns = ['id', 'name'] as const;

/** People by id, one statement for any number of ids. */
export function findPeopleByIds(db: Kysely<PeopleDatabase>, ids: readonly number[]): Promise<PersonRow[]> {
  return db.selectFrom('people').select(personColumns).where('id', '=', anyOf(ids)).execute();
}
