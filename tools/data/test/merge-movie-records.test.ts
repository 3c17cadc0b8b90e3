import { describe, expect, it } from 'vitest';
import { mergeMovieRecords } from '../src/import/merge-movie-records.js';
import type { WikipediaMovie } from '../src/import/wikipedia-movie.js';

const film = (overrides: Partial<WikipediaMovie>): WikipediaMovie => ({
  title: 'Untitled',
  year: 1950,
  cast: [],
  genres: [],
  slug: null,
  extract: null,
  thumbnail: null,
  ...overrides,
});

describe('mergeMovieRecords', () => {
  it('merges records with the same slug, uniting casts and genres and keeping the first texts', () => {
    const first = film({ title: 'Suspicion', year: 1918, slug: 'Suspicion_(1918_film)', cast: ['Grace Valentine', 'Mahlon Hamilton'], genres: ['Drama'] });
    const second = film({
      title: 'Suspicion',
      year: 1919,
      slug: 'Suspicion_(1918_film)',
      cast: ['Mahlon Hamilton', 'Warren Cook'],
      genres: ['Drama', 'Mystery'],
      extract: 'A 1918 silent drama.',
      thumbnail: 'poster.jpg',
    });
    const { movies, merged } = mergeMovieRecords([first, second]);
    expect(merged).toBe(1);
    expect(movies).toEqual([
      film({
        title: 'Suspicion',
        year: 1918,
        slug: 'Suspicion_(1918_film)',
        cast: ['Grace Valentine', 'Mahlon Hamilton', 'Warren Cook'],
        genres: ['Drama', 'Mystery'],
        extract: 'A 1918 silent drama.',
        thumbnail: 'poster.jpg',
      }),
    ]);
    expect(first.cast).toEqual(['Grace Valentine', 'Mahlon Hamilton']);
  });

  it('merges records with the same title (ignoring case and spacing) and year when slugs do not contradict', () => {
    const records = [
      film({ title: 'The Decoy', year: 1916, cast: ['Frances Nelson'] }),
      film({ title: 'the  decoy', year: 1916, slug: 'The_Decoy_(1916_film)', extract: 'Lost film.' }),
    ];
    const { movies, merged } = mergeMovieRecords(records);
    expect(merged).toBe(1);
    expect(movies).toEqual([film({ title: 'The Decoy', year: 1916, cast: ['Frances Nelson'], slug: 'The_Decoy_(1916_film)', extract: 'Lost film.' })]);
  });

  it('keeps same-title films of the same year apart when their articles differ, and remakes of other years', () => {
    const records = [
      film({ title: 'Carmen', year: 1915, slug: 'Carmen_(1915_Cecil_B._DeMille_film)' }),
      film({ title: 'Carmen', year: 1915, slug: 'Carmen_(1915_Raoul_Walsh_film)' }),
      film({ title: 'Carmen', year: 1983 }),
    ];
    const { movies, merged } = mergeMovieRecords(records);
    expect(merged).toBe(0);
    expect(movies).toHaveLength(3);
  });

  it('merges transitively: a slug twin that also matches by title joins the same film', () => {
    const records = [
      film({ title: 'Jungle Man', year: 1941, slug: 'Jungle_Man_(film)', cast: ['Buster Crabbe'] }),
      film({ title: 'Jungle Man', year: 1941, cast: ['Sheila Darcy'] }),
      film({ title: 'Jungle Man', year: 1941, slug: 'Jungle_Man_(film)', cast: ['Charles Middleton'] }),
    ];
    const { movies, merged } = mergeMovieRecords(records);
    expect(merged).toBe(2);
    expect(movies.map((movie) => movie.cast)).toEqual([['Buster Crabbe', 'Sheila Darcy', 'Charles Middleton']]);
  });
});
