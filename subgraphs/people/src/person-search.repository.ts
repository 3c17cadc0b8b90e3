import { textSearch } from '@cinema/db';
import type { Kysely } from 'kysely';
import type { PeopleDatabase, PersonRow } from './db/database.js';
import { personColumns } from './person.repository.js';

/**
 * People whose name matches a search text, best first (see `textSearch`): the name's words by full-text (the
 * 'simple' configuration: names are not stemmed) or the text close to a run of the name by trigrams ("Al Pacnio" →
 * Al Pacino), both served by GIN indexes; ties go to the lower id.
 */
export function searchPeople(db: Kysely<PeopleDatabase>, text: string, limit: number): Promise<PersonRow[]> {
  const { matches, rank } = textSearch(text, { configuration: 'simple', column: 'name' });
  return db.selectFrom('people').select(personColumns).where(matches).orderBy(rank, 'desc').orderBy('id').limit(limit).execute();
}
