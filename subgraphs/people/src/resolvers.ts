import { notFound, parseIntegerId, tryParseIntegerId } from '@cinema/kit';
import type { PeopleContext } from './context.js';
import type { CreditWithPerson } from './credit.repository.js';
import type { PersonRow } from './db/database.js';

interface MovieReference {
  id: string;
}

const movieIdOf = (movie: MovieReference) => tryParseIntegerId(movie.id);
const personOfCredit = (credit: CreditWithPerson): PersonRow => ({ id: credit.person_id, name: credit.person_name });

export const resolvers = {
  Query: {
    person: async (_: unknown, args: { id: string }, { loaders }: PeopleContext) => {
      const person = await loaders.personById.load(parseIntegerId(args.id));
      if (!person) throw notFound('Person', args.id);
      return person;
    },
  },
  Person: {
    __resolveReference: (reference: { id: unknown }, { loaders }: PeopleContext) => {
      const id = tryParseIntegerId(reference.id);
      return id === null ? null : loaders.personById.load(id);
    },
    id: (person: PersonRow) => String(person.id),
    movies: async (person: PersonRow, _: unknown, { loaders }: PeopleContext): Promise<MovieReference[]> =>
      (await loaders.movieIdsByPersonId.load(person.id)).map((row) => ({ id: String(row.movie_id) })),
  },
  Movie: {
    // This service knows a movie only by id; the movies service owns the rest.
    __resolveReference: (reference: MovieReference) => ({ id: reference.id }),
    cast: async (movie: MovieReference, _: unknown, { loaders }: PeopleContext) => {
      const id = movieIdOf(movie);
      if (id === null) return [];
      const credits = await loaders.castByMovieId.load(id);
      for (const credit of credits) loaders.personById.prime(credit.person_id, personOfCredit(credit));
      return credits;
    },
    directors: async (movie: MovieReference, _: unknown, { loaders }: PeopleContext) => {
      const id = movieIdOf(movie);
      return id === null ? [] : (await loaders.directorsByMovieId.load(id)).map(personOfCredit);
    },
  },
  CastCredit: {
    person: (credit: CreditWithPerson) => personOfCredit(credit),
    order: (credit: CreditWithPerson) => credit.billing_order,
  },
};
