/**
 * One spelling per genre: trimmed, spaces collapsed, each word capitalized (`science  fiction` → `Science Fiction`).
 * Genres are matched by name across services (the ratings rankings, the catalogue filter), so `drama` and `Drama`
 * must not become two genres. Returns null for a label with nothing in it.
 */
export function normalizeGenre(label: string): string | null {
  const words = label
    .trim()
    .split(/\s+/)
    .filter((word) => word.length > 0);
  if (words.length === 0) return null;
  return words.map((word) => word.charAt(0).toUpperCase() + word.slice(1).toLowerCase()).join(' ');
}
