/**
 * Turns a scraped cast list into person names, in billing order.
 *
 * The lists were split on commas, so annotations and connectives show up as entries: `and`, `.`, `(`, `Best Actor`,
 * `nominee)`, `(narrator)`, a lone `Sr.` cut from `House Peters, Sr.`, `Katherine MacDonald]]`. Each would otherwise
 * become a "person" credited on hundreds of films. Drops the debris, re-attaches a lone Sr./Jr. to the name before
 * it, removes stray brackets and quotes and Wikipedia disambiguations (`Harry Carter (actor)`), and drops exact
 * duplicates. Entries that are not strings are dropped too.
 */
export function cleanCast(entries: readonly unknown[]): string[] {
  const names: string[] = [];
  let annotationEntriesLeft = 0;
  for (const entry of entries) {
    if (typeof entry !== 'string') continue;
    const balance = parenthesisBalance(entry);
    if (annotationEntriesLeft > 0) {
      annotationEntriesLeft = balance < 0 ? 0 : annotationEntriesLeft - 1;
      continue;
    }
    // The tail of an annotation whose start is not in the list: `screenwriter)`.
    if (balance < 0) continue;
    // An annotation opened here runs over the next entries: `Gary Cooper`, `(`, `Best Actor`, `nominee)`.
    if (balance > 0) annotationEntriesLeft = maxAnnotationEntries;
    addCastName(names, tidyCastEntry(balance > 0 ? entry.slice(0, entry.lastIndexOf('(')) : entry));
  }
  return names;
}

/** Annotations seen in the data span at most two entries; a longer span means a lone bracket, not an annotation. */
const maxAnnotationEntries = 3;

/** Words the scraper left between names. */
const connectives = new Set(['and', 'with', 'of', 'the', 'by', 'featuring']);

function addCastName(names: string[], text: string): void {
  const suffix = /^(sr|jr)\.?$/i.exec(text)?.[1]?.toLowerCase();
  if (suffix) {
    const previous = names.length - 1;
    if (previous >= 0) names[previous] = `${names[previous]} ${suffix === 'sr' ? 'Sr.' : 'Jr.'}`;
    return;
  }
  if (!isDebris(text) && !names.includes(text)) names.push(text);
}

function isDebris(text: string): boolean {
  return (
    !/\p{L}/u.test(text) ||
    connectives.has(text.toLowerCase()) ||
    // A whole annotation: `(narrator)`, `(voices)`, `(US)`.
    /^\(.*\)$/.test(text) ||
    // Prose, not a name: `voices of`, `narrated by`, `kids`. Names without capitals are stylized with dots: `will.i.am`.
    (!/\p{Lu}/u.test(text) && !text.includes('.'))
  );
}

/** Spaces, brackets, quotes and suffix commas cleaned, so that one person always has one spelling. */
function tidyCastEntry(entry: string): string {
  const text = entry
    .normalize('NFC')
    .replace(/\[\w{1,3}\]/g, '') // footnote markers: `[a]`, `[2]`
    .replace(/[[\]]/g, '') // wiki link brackets: `Katherine MacDonald]]`
    .replace(/\s+\([^()]*\)\s*$/, '') // disambiguation: `Harry Carter (actor)`
    .replace(/^(and|&)\s+/, '') // `and Lauren K. Sokolov`
    .replace(/,\s*(Jr|Sr)\.?$/, ' $1.') // `Alan Hale, Jr.` is `Alan Hale Jr.`
    .replace(/\s+/g, ' ')
    .trim();
  return withoutStrayQuotes(text).replace(/^[\s,;:]+|[\s,;:]+$/g, '');
}

/** Balanced quotes are nicknames (`Don "Red" Barry`) and stay; a lone quote is debris. */
function withoutStrayQuotes(text: string): string {
  const straight = (text.match(/"/g) ?? []).length;
  const opening = (text.match(/“/g) ?? []).length;
  const closing = (text.match(/”/g) ?? []).length;
  let result = straight % 2 === 1 ? text.replaceAll('"', '') : text;
  if (opening !== closing) result = result.replace(/[“”]/g, '');
  return result;
}

function parenthesisBalance(text: string): number {
  let balance = 0;
  for (const character of text) {
    if (character === '(') balance++;
    else if (character === ')') balance--;
  }
  return balance;
}
