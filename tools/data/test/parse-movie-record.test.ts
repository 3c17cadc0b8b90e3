import { describe, expect, it } from 'vitest';
import { normalizeGenre } from '../src/import/normalize-genre.js';
import { parseMovieRecord } from '../src/import/parse-movie-record.js';

describe('normalizeGenre', () => {
  it('gives each genre one spelling', () => {
    expect(normalizeGenre('science fiction')).toBe('Science Fiction');
    expect(normalizeGenre('  SCIENCE   Fiction ')).toBe('Science Fiction');
    expect(normalizeGenre('Drama')).toBe('Drama');
    expect(normalizeGenre('   ')).toBeNull();
  });
});

describe('parseMovieRecord', () => {
  const godfather = {
    title: ' The  Godfather ',
    year: 1972,
    cast: ['Marlon Brando', 'and', 'Al Pacino'],
    genres: ['crime', 'Drama', 'CRIME', '', 7],
    href: 'The_Godfather',
    extract: '  The Godfather is a 1972 American crime film.  ',
    thumbnail: 'https://upload.wikimedia.org/godfather.jpg',
  };

  it('cleans a valid record and counts the cast entries it dropped', () => {
    expect(parseMovieRecord(godfather)).toEqual({
      ok: true,
      droppedCastEntries: 1,
      movie: {
        title: 'The Godfather',
        year: 1972,
        cast: ['Marlon Brando', 'Al Pacino'],
        genres: ['Crime', 'Drama'],
        slug: 'The_Godfather',
        extract: 'The Godfather is a 1972 American crime film.',
        thumbnail: 'https://upload.wikimedia.org/godfather.jpg',
      },
    });
  });

  it('accepts missing optional fields and blank texts as absent', () => {
    const result = parseMovieRecord({ title: 'Nanook of the North', year: 1922, href: null, extract: '   ' });
    expect(result).toEqual({
      ok: true,
      droppedCastEntries: 0,
      movie: { title: 'Nanook of the North', year: 1922, cast: [], genres: [], slug: null, extract: null, thumbnail: null },
    });
  });

  it.each([
    [42, 'not-an-object'],
    [null, 'not-an-object'],
    [['The Godfather', 1972], 'not-an-object'],
    [{ year: 1972 }, 'missing-title'],
    [{ title: '   ', year: 1972 }, 'missing-title'],
    [{ title: 1972, year: 1972 }, 'invalid-title'],
    [{ title: 'Jaws' }, 'invalid-year'],
    [{ title: 'Jaws', year: '1975' }, 'invalid-year'],
    [{ title: 'Jaws', year: 1975.5 }, 'invalid-year'],
    [{ title: 'Jaws', year: 1849 }, 'year-out-of-range'],
    [{ title: 'Jaws', year: 2201 }, 'year-out-of-range'],
    [{ title: 'Jaws', year: 1975, cast: 'Roy Scheider' }, 'invalid-cast'],
    [{ title: 'Jaws', year: 1975, genres: 'Thriller' }, 'invalid-genres'],
    [{ title: 'Jaws', year: 1975, href: 12 }, 'invalid-href'],
    [{ title: 'Jaws', year: 1975, thumbnail: { url: 'x' } }, 'invalid-thumbnail'],
  ])('skips %j as %s', (record, reason) => {
    expect(parseMovieRecord(record)).toEqual({ ok: false, reason });
  });

  it('accepts the bounds of the year range', () => {
    expect(parseMovieRecord({ title: 'A', year: 1850 }).ok).toBe(true);
    expect(parseMovieRecord({ title: 'B', year: 2200 }).ok).toBe(true);
  });
});
