import type { CatalogueCredit, CatalogueMovie, CataloguePerson } from './catalogue-data.js';
import type { Random } from './random.js';
import { wordLists } from './word-lists.js';
import { ZipfSampler } from './zipf-sampler.js';

/** A tenth of the people direct; the others act. Both follow a Zipf-like law: a few stars appear everywhere. */
const directorShare = 0.1;
const starExponent = 0.8;

/**
 * Casts of about `castPerMovie` distinct actors in billing order, with invented characters for the leads and for
 * some of the others, plus one director per film.
 */
export function generateCredits(
  movies: readonly CatalogueMovie[],
  people: readonly CataloguePerson[],
  castPerMovie: number,
  random: Random,
): CatalogueCredit[] {
  const directorCount = Math.max(1, Math.round(people.length * directorShare));
  const actors = random.shuffle(people.slice(0, people.length - directorCount));
  const directors = random.shuffle(people.slice(people.length - directorCount));
  const actorSampler = new ZipfSampler(actors.length, starExponent);
  const directorSampler = new ZipfSampler(directors.length, starExponent);

  const credits: CatalogueCredit[] = [];
  for (const movie of movies) {
    const castSize = Math.min(actors.length, Math.max(1, castPerMovie + random.int(-3, 3)));
    const cast = new Set<CataloguePerson>();
    while (cast.size < castSize) cast.add(actors[actorSampler.sample(random)] as CataloguePerson);
    [...cast].forEach((actor, billingOrder) => {
      const character = billingOrder < 3 || random.chance(0.5) ? characterName(random) : null;
      credits.push({ movieId: movie.id, personId: actor.id, kind: 'cast', billingOrder, character });
    });
    const director = directors[directorSampler.sample(random)] as CataloguePerson;
    credits.push({ movieId: movie.id, personId: director.id, kind: 'director', billingOrder: 0, character: null });
  }
  return credits;
}

function characterName(random: Random): string {
  const { firstNames, lastNames, characterTitles, characterRoles } = wordLists;
  return random.pick([
    () => `${random.pick(firstNames)} ${random.pick(lastNames)}`,
    () => `${random.pick(characterTitles)} ${random.pick(lastNames)}`,
    () => random.pick(firstNames),
    () => random.pick(characterRoles),
  ])();
}
