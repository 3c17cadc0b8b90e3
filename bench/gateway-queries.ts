import { setTimeout as sleep } from 'node:timers/promises';
/** What the gateway benchmark asks: the two queries of issue 14 and two more deep shapes. */
export interface BenchQuery {
  readonly name: string;
  /** What the shape exercises, for the report. */
  readonly description: string;
  readonly query: string;
  /** Seconds per measurement: deep queries need longer for enough completed requests at 64 connections. */
  readonly seconds: number;
  /** The variables of each request body, cycled through by the load generator. */
  variables(context: QueryContext): Record<string, unknown>[];
}

/** What the seeded catalogue offers to vary requests over. */
export interface QueryContext {
  readonly genres: readonly string[];
}

const range = (count: number) => Array.from({ length: count }, (_, i) => String(i + 1));

export const BENCH_QUERIES: readonly BenchQuery[] = [
  {
    name: 'Q1',
    description: 'one movie, its cast and their names (movies → ratings, people → people)',
    query: 'query Q1($id: ID!) { movie(id: $id) { title averageRating cast { character person { name } } } }',
    seconds: 4,
    variables: () => range(500).map((id) => ({ id })),
  },
  {
    name: 'Q2',
    description:
      "ten top-rated movies of a genre, their cast, each cast member's films with ratings (ratings → movies, people → movies, ratings: thousands of entities)",
    query:
      'query Q2($genre: String!) { topRatedMovies(genre: $genre, limit: 10) { id title averageRating cast { character person { id name movies { id title averageRating } } } } }',
    // At 64 connections a Q2 takes 4 to 10 s: a run must last several of those, or the requests it counts depend on
    // where the window happens to close (12 s runs gave per-round ratios from 0.75x to 1.17x).
    seconds: 24,
    variables: ({ genres }) => genres.map((genre) => ({ genre })),
  },
  {
    name: 'Q3',
    description: "a person's filmography with each film's year, rating, directors and cast (people → movies, ratings, people)",
    query:
      'query Q3($id: ID!) { person(id: $id) { name movies { title year averageRating ratingCount directors { name } cast { character person { name } } } } }',
    seconds: 5,
    variables: () => range(300).map((id) => ({ id })),
  },
  {
    name: 'Q4',
    description:
      "a catalogue page of a genre, each film's rating and directors, and every film of those directors with its rating (movies → ratings, people → movies → ratings)",
    query:
      'query Q4($genre: String) { movies(genre: $genre, first: 20) { edges { node { id title year averageRating directors { name movies { title averageRating ratingCount } } } } } }',
    seconds: 5,
    variables: ({ genres }) => genres.map((genre) => ({ genre })),
  },
];

/** The JSON bodies of one query, in the order the load generator sends them. */
export const bodiesOf = (query: BenchQuery, context: QueryContext): string[] =>
  query.variables(context).map((variables) => JSON.stringify({ query: query.query, variables }));

/** The genres of the catalogue, once the ratings service's projection knows them (rankings need it). */
export async function catalogueContext(url: string): Promise<QueryContext> {
  const post = async (query: string, variables: Record<string, unknown> = {}) =>
    (await (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) })).json()) as {
      data?: Record<string, unknown>;
    };
  const genres = ((await post('{ genres }')).data?.genres ?? []) as string[];
  if (genres.length === 0) throw new Error('the seeded catalogue has no genres');
  for (let attempt = 0; ; attempt++) {
    const top = (await post('query($genre: String!) { topRatedMovies(genre: $genre, limit: 1) { id } }', { genre: genres.at(-1) })).data?.topRatedMovies as
      unknown[] | undefined;
    if (top && top.length > 0) return { genres };
    if (attempt > 150) throw new Error('the ratings projection did not catch up with the catalogue');
    await sleep(200);
  }
}
