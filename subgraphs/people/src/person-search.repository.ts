import { sql, type Kysely } from 'kysely';
import type { PeopleDatabase, PersonRow } from './db/database.js';
import { personColumns } from './person.repository.js';

/**
 * People whose name matches a search text, best first: the name's words by full-text (the 'simple' configuration:
 * names are not stemmed) or the text close to a run of the name by trigrams ("Al Pacnio" → Al Pacino), both served
 * by GIN indexes. Rank = full-text rank + similarity to the whole name + word similarity, ties to the lower id; the
 * text is always a bound parameter, and `websearch_to_tsquery` accepts any input.
 */
export function searchPeople(db: Kysely<PeopleDatabase>, text: string, limit: number): Promise<PersonRow[]> {
  const query = sql`websearch_to_tsquery('simple', ${text})`;
  return db
    .selectFrom('people')
    .select(personColumns)
    .where((eb) => eb.or([sql<boolean>`search_document @@ ${query}`, sql<boolean>`${text} <% name`]))
    .orderBy(sql`ts_rank(search_document, ${query}) + similarity(${text}, name) + word_similarity(${text}, name)`, 'desc')
    .orderBy('id')
    .limit(limit)
    .execute();
}
