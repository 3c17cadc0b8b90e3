/** One film of the Wikipedia data after validation and cleaning, before duplicates are merged. */
export interface WikipediaMovie {
  title: string;
  year: number;
  /** Cleaned cast names in billing order, no duplicates. */
  cast: string[];
  /** Normalized genre labels, no duplicates. */
  genres: string[];
  /** Article slug (`The_Godfather`): the film's identity on Wikipedia, when known. */
  slug: string | null;
  extract: string | null;
  thumbnail: string | null;
}
