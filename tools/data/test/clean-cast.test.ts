import { describe, expect, it } from 'vitest';
import { cleanCast } from '../src/import/clean-cast.js';

describe('cleanCast', () => {
  it('keeps clean names in billing order, trimmed and with collapsed spaces', () => {
    expect(cleanCast(['  Marlon Brando ', 'Al   Pacino', 'James Caan'])).toEqual(['Marlon Brando', 'Al Pacino', 'James Caan']);
  });

  it('drops entries without letters and connectives', () => {
    expect(cleanCast(['Bud Abbott', 'and', 'Lou Costello', '.', '(', ')', '?', '&', '[2]', 'The'])).toEqual(['Bud Abbott', 'Lou Costello']);
  });

  it('appends a lone Sr. or Jr. to the previous name instead of keeping it', () => {
    expect(cleanCast(['Lon Chaney', 'Noah Beery', 'Sr.', 'Anna May Wong'])).toEqual(['Lon Chaney', 'Noah Beery Sr.', 'Anna May Wong']);
    expect(cleanCast(['Jr.', 'Alan Hale, Jr.'])).toEqual(['Alan Hale Jr.']);
  });

  it('drops annotations, whole or split over several entries', () => {
    const cast = ['Gary Cooper', '(', 'Best Actor', 'nominee)', 'Jean Arthur', '(narrator)', 'Paul Muni', '(', 'Academy Award for Best Actor', ')'];
    expect(cleanCast(cast)).toEqual(['Gary Cooper', 'Jean Arthur', 'Paul Muni']);
    expect(cleanCast(['screenwriter)', 'Alec Baldwin', 'Michael Brandon', '(US)'])).toEqual(['Alec Baldwin', 'Michael Brandon']);
  });

  it('ends an unclosed annotation after a few entries rather than dropping the rest of the cast', () => {
    const cast = ['Ann Harding', '(', 'Best Actress', 'Academy Award', 'Winner', 'Clive Brook', 'Mary Astor'];
    expect(cleanCast(cast)).toEqual(['Ann Harding', 'Clive Brook', 'Mary Astor']);
  });

  it('strips stray brackets, lone quotes and disambiguations but keeps nicknames', () => {
    const cast = ['Katherine MacDonald]]', 'Harry Carter (actor)', 'Maurice "Lefty Flynn', 'Don "Red" Barry', 'Eliot (Coco) Sumner'];
    expect(cleanCast(cast)).toEqual(['Katherine MacDonald', 'Harry Carter', 'Maurice Lefty Flynn', 'Don "Red" Barry', 'Eliot (Coco) Sumner']);
  });

  it('drops prose fragments but keeps stylized names', () => {
    expect(cleanCast(['voices of', 'Tom Hanks', 'narrated by', 'kids', 'will.i.am'])).toEqual(['Tom Hanks', 'will.i.am']);
  });

  it('drops exact duplicates and entries that are not strings', () => {
    expect(cleanCast(['Al Pacino', 42, null, { name: 'x' }, 'Al Pacino', 'Diane Keaton'])).toEqual(['Al Pacino', 'Diane Keaton']);
  });
});
