import type { CataloguePerson } from './catalogue-data.js';
import type { Random } from './random.js';
import { wordLists } from './word-lists.js';

const { firstNames, lastNames } = wordLists;

/**
 * Synthetic people with ids 1..count and distinct names, so a search by name finds one person. Past the
 * first × last combinations, a middle initial keeps names distinct.
 */
export function generatePeople(count: number, random: Random): CataloguePerson[] {
  const combinations = firstNames.length * lastNames.length;
  const order = random.shuffle(Array.from({ length: combinations }, (_, index) => index));
  return Array.from({ length: count }, (_, index) => {
    const combination = order[index % combinations] ?? 0;
    const first = firstNames[combination % firstNames.length];
    const last = lastNames[Math.floor(combination / firstNames.length)];
    const round = Math.floor(index / combinations);
    const middle = round === 0 ? '' : `${String.fromCharCode(64 + (round % 26 || 26))}. `;
    return { id: index + 1, name: `${first} ${middle}${last}` };
  });
}
