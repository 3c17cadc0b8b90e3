import type { WikipediaMovie } from './wikipedia-movie.js';

export interface MergedMovies {
  movies: WikipediaMovie[];
  /** Records folded into an earlier one. */
  merged: number;
}

/**
 * Folds records describing the same film into one, keeping the first record's place, title and year.
 *
 * Two records are the same film when they share an article slug, or the same title (ignoring case and spacing) and
 * year, unless both carry different slugs: distinct articles are distinct films, like the two `Carmen`s of 1915.
 * Casts and genres are united in order; extract, thumbnail and slug come from the first record that has one.
 * Inputs are not modified.
 */
export function mergeMovieRecords(records: readonly WikipediaMovie[]): MergedMovies {
  const movies: WikipediaMovie[] = [];
  const bySlug = new Map<string, WikipediaMovie>();
  const byTitleYear = new Map<string, WikipediaMovie>();
  let merged = 0;
  for (const record of records) {
    const key = titleYearKey(record);
    const twin = findTwin(record, record.slug ? bySlug.get(record.slug) : undefined, byTitleYear.get(key));
    const movie = twin ?? { ...record, cast: [...record.cast], genres: [...record.genres] };
    if (twin) {
      mergeInto(twin, record);
      merged++;
    } else {
      movies.push(movie);
    }
    if (record.slug && !bySlug.has(record.slug)) bySlug.set(record.slug, movie);
    if (!byTitleYear.has(key)) byTitleYear.set(key, movie);
  }
  return { movies, merged };
}

function titleYearKey(movie: WikipediaMovie): string {
  return `${movie.title.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ')}|${movie.year}`;
}

function findTwin(record: WikipediaMovie, sameSlug: WikipediaMovie | undefined, sameTitleYear: WikipediaMovie | undefined): WikipediaMovie | undefined {
  if (sameSlug) return sameSlug;
  const distinctArticles = sameTitleYear?.slug && record.slug && sameTitleYear.slug !== record.slug;
  return distinctArticles ? undefined : sameTitleYear;
}

function mergeInto(target: WikipediaMovie, record: WikipediaMovie): void {
  target.cast.push(...record.cast.filter((name) => !target.cast.includes(name)));
  target.genres.push(...record.genres.filter((genre) => !target.genres.includes(genre)));
  target.slug ??= record.slug;
  target.extract ??= record.extract;
  target.thumbnail ??= record.thumbnail;
}
