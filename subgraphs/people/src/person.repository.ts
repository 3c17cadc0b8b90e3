import { anyOf } from '@cinema/db';
import type { Kysely } from 'kysely';
import type { PeopleDatabase, PersonRow } from './db/database.js';

/** People by id, one statement for any number of ids. */
export function findPeopleByIds(db: Kysely<PeopleDatabase>, ids: readonly number[]): Promise<PersonRow[]> {
  return db.selectFrom('people').selectAll().where('id', '=', anyOf(ids)).execute();
}
