import type { Generated, Insertable, Selectable } from 'kysely';

/** Someone credited on films. The table also has a generated `search_document`, left out for the same reason as the movies'. */
export interface PersonTable {
  id: Generated<number>;
  name: string;
}

/** What a person did on a film. Only `cast` credits appear in `Movie.cast`. */
export type CreditKind = 'cast' | 'director' | 'writer' | 'producer';

/**
 * A person's credit on a film. `movie_id` names a movie of the movies service; there is deliberately no foreign
 * key, because that table lives in another service's schema.
 */
export interface CreditTable {
  id: Generated<number>;
  movie_id: number;
  person_id: number;
  kind: CreditKind;
  billing_order: number;
  character: string | null;
}

/** The people service's view of PostgreSQL: only the tables of schema `people`. */
export interface PeopleDatabase {
  people: PersonTable;
  credits: CreditTable;
}

export type PersonRow = Selectable<PersonTable>;
export type CreditRow = Selectable<CreditTable>;
export type NewCreditRow = Insertable<CreditTable>;
