import { anyOf } from '@cinema/db';
import type { Kysely } from 'kysely';
import type { CreditKind, PeopleDatabase } from './db/database.js';

/** A credit joined with its person, so resolving `cast { person { name } }` needs no second lookup. */
export interface CreditWithPerson {
  movie_id: number;
  person_id: number;
  person_name: string;
  billing_order: number;
  character: string | null;
}

/** Credits of one kind for many movies in one statement, each movie's in billing order. */
export function findCreditsOfMovies(db: Kysely<PeopleDatabase>, movieIds: readonly number[], kind: CreditKind): Promise<CreditWithPerson[]> {
  return db
    .selectFrom('credits')
    .innerJoin('people', 'people.id', 'credits.person_id')
    .select(['credits.movie_id', 'credits.person_id', 'people.name as person_name', 'credits.billing_order', 'credits.character'])
    .where('credits.movie_id', '=', anyOf(movieIds))
    .where('credits.kind', '=', kind)
    .orderBy('credits.movie_id')
    .orderBy('credits.billing_order')
    .execute();
}

/** The distinct films of many people in one statement, each person's in movie id order. */
export function findMovieIdsOfPeople(db: Kysely<PeopleDatabase>, personIds: readonly number[]): Promise<{ person_id: number; movie_id: number }[]> {
  return db
    .selectFrom('credits')
    .select(['person_id', 'movie_id'])
    .distinct()
    .where('person_id', '=', anyOf(personIds))
    .orderBy('person_id')
    .orderBy('movie_id')
    .execute();
}
