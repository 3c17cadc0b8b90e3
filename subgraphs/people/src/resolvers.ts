import { loadOrNotFound, loadReference, parsePageSize, parseSearchText, tryParseIntegerId } from '@cinema/kit/arguments';
import type { PeopleContext } from './context.js';
import type { CreditWithPerson } from './credit.repository.js';
import type { PersonRow } from './db/database.js';
import type { QuerySearchPeopleArgs, Resolvers, ResolversParentTypes } from './generated/resolvers-types.js';
import { searchPeople } from './person-search.repository.js';

/** Largest `searchPeople(first:)`. */
export const MAX_SEARCH_RESULTS = 50;

type MovieReference = ResolversParentTypes['Movie'];

const movieIdOf = (movie: MovieReference) => tryParseIntegerId(movie.id);
const personOfCredit = (credit: CreditWithPerson): PersonRow => ({ id: credit.person_id, name: credit.person_name });

async function resolveSearchPeople(args: QuerySearchPeopleArgs, { db, loaders }: PeopleContext): Promise<PersonRow[]> {
  const people = await searchPeople(db, parseSearchText(args.query), parsePageSize(args.first, 10, MAX_SEARCH_RESULTS));
  for (const person of people) loaders.personById.prime(person.id, person);
  return people;
}

export const resolvers: Resolvers = {
  Query: {
    person: (_, args, { loaders }) => loadOrNotFound(loaders.personById, 'Person', args.id),
    searchPeople: (_, args, context) => resolveSearchPeople(args, context),
  },
  Person: {
    __resolveReference: (reference, { loaders }) => loadReference(loaders.personById, reference.id),
    id: (person) => String(person.id),
    movies: async (person, _, { loaders }) => (await loaders.movieIdsByPersonId.load(person.id)).map((row) => ({ id: String(row.movie_id) })),
  },
  Movie: {
    // This service knows a movie only by id; the movies service owns the rest.
    __resolveReference: (reference) => ({ id: reference.id }),
    cast: async (movie, _, { loaders }) => {
      const id = movieIdOf(movie);
      if (id === null) return [];
      const credits = await loaders.castByMovieId.load(id);
      for (const credit of credits) loaders.personById.prime(credit.person_id, personOfCredit(credit));
      return credits;
    },
    directors: async (movie, _, { loaders }) => {
      const id = movieIdOf(movie);
      return id === null ? [] : (await loaders.directorsByMovieId.load(id)).map(personOfCredit);
    },
  },
  CastCredit: {
    person: (credit) => personOfCredit(credit),
    order: (credit) => credit.billing_order,
  },
};
