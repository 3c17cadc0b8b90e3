import type { CatalogueMovie } from './catalogue-data.js';
import type { Random } from './random.js';
import { wordLists } from './word-lists.js';

const { titleAdjectives, titleNouns, titlePlaces, genres } = wordLists;

/** Synthetic films with ids 1..count: composed titles, years 1950–2024, one to three genres, a one-line overview. */
export function generateMovies(count: number, random: Random): CatalogueMovie[] {
  return Array.from({ length: count }, (_, index) => {
    const id = index + 1;
    return {
      id,
      title: movieTitle(random),
      year: random.int(1950, 2024),
      overview: overview(random),
      // Some films have no poster, as in any real catalogue; clients must cope with null.
      posterUrl: random.chance(0.7) ? `https://placehold.co/300x450?text=Movie+${id}` : null,
      wikipediaSlug: null,
      genres: movieGenres(random),
    };
  });
}

function movieTitle(random: Random): string {
  const adjective = random.pick(titleAdjectives);
  const noun = random.pick(titleNouns);
  const title = random.pick([
    `The ${adjective} ${noun}`,
    `${adjective} ${noun}`,
    `${noun} of ${random.pick(titlePlaces)}`,
    `The ${noun} of ${random.pick(titlePlaces)}`,
    `${noun}s of the ${random.pick(titleNouns)}`,
    `The ${noun}`,
  ]);
  return random.chance(0.04) ? `${title} ${random.pick(['II', 'III', 'Returns'])}` : title;
}

function movieGenres(random: Random): string[] {
  const count = random.pick([1, 1, 2, 2, 2, 3]);
  const names = new Set<string>();
  while (names.size < count) names.add(random.weighted(genres).name);
  return [...names];
}

function overview(random: Random): string {
  const protagonist = random.pick(wordLists.overviewProtagonists);
  const sentence = `${protagonist} ${random.pick(wordLists.overviewGoals)} ${random.pick(wordLists.overviewSettings)}.`;
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}
