import type { Kysely } from 'kysely';
import type { PeopleDatabase } from '@cinema/people-subgraph/database';
import type { CatalogueCredit, CataloguePerson } from './catalogue-data.js';
import { insertInBatches } from './insert-in-batches.js';
import { syncSerialSequence } from './sync-serial-sequence.js';

/** Writes people and their credits in one transaction, so no credit ever names a person that is not there yet. */
export async function writePeopleSchema(
  db: Kysely<PeopleDatabase>,
  people: readonly CataloguePerson[],
  credits: readonly CatalogueCredit[],
  onProgress: (line: string) => void,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await insertInBatches({ label: 'people', rows: people, onProgress, insert: (batch) => trx.insertInto('people').values(batch).execute() });
    const creditRows = credits.map((credit) => ({
      movie_id: credit.movieId,
      person_id: credit.personId,
      kind: credit.kind,
      billing_order: credit.billingOrder,
      character: credit.character,
    }));
    await insertInBatches({ label: 'credits', rows: creditRows, onProgress, insert: (batch) => trx.insertInto('credits').values(batch).execute() });
    await syncSerialSequence(trx, 'people');
  });
}
