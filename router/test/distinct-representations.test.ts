import { describe, expect, it } from 'vitest';
import { distinctRepresentations, expandEntities } from '../src/balancing/distinct-representations.js';

const movie = (id: string) => ({ __typename: 'Movie', id });

describe('distinct _entities representations', () => {
  it('sends each representation once, in order of first appearance', () => {
    const sent = distinctRepresentations([movie('1'), movie('2'), movie('1'), movie('3'), movie('2')]);
    expect(JSON.parse(sent.json)).toEqual([movie('1'), movie('2'), movie('3')]);
    expect(sent.distinct).toBe(3);
    expect([...sent.positions!]).toEqual([0, 1, 0, 2, 1]);
  });

  it('leaves a list without duplicates as it is, and needs no expansion', () => {
    const sent = distinctRepresentations([movie('1'), movie('2')]);
    expect(sent.positions).toBeNull();
    const answer = { data: { _entities: [{ title: 'A' }, { title: 'B' }] } };
    expect(expandEntities(answer, sent)).toBe(answer);
  });

  it('tells apart representations that differ in any field, type included', () => {
    const sent = distinctRepresentations([movie('1'), { __typename: 'Person', id: '1' }, { ...movie('1'), year: 1999 }]);
    expect(sent.distinct).toBe(3);
  });

  it('expands the answer back to the gateway order, nulls included', () => {
    const sent = distinctRepresentations([movie('1'), movie('2'), movie('1'), movie('9'), movie('9')]);
    const expanded = expandEntities({ data: { _entities: [{ title: 'A' }, { title: 'B' }, null] } }, sent);
    expect(expanded.data?._entities).toEqual([{ title: 'A' }, { title: 'B' }, { title: 'A' }, null, null]);
  });

  it('repeats an error on a distinct representation for every position that holds it, keeping the rest of its path', () => {
    const sent = distinctRepresentations([movie('1'), movie('2'), movie('1'), movie('2'), movie('1')]);
    const expanded = expandEntities(
      {
        data: { _entities: [null, { title: 'B', averageRating: null }] },
        errors: [
          { message: 'movie 1 failed', path: ['_entities', 0], extensions: { code: 'NOT_FOUND' } },
          { message: 'rating failed', path: ['_entities', 1, 'averageRating'] },
          { message: 'not about an entity' },
          { message: 'out of range stays as it is', path: ['_entities', 7] },
        ],
      },
      sent,
    );
    expect(expanded.data?._entities).toEqual([null, { title: 'B', averageRating: null }, null, { title: 'B', averageRating: null }, null]);
    expect(expanded.errors).toEqual([
      { message: 'movie 1 failed', path: ['_entities', 0], extensions: { code: 'NOT_FOUND' } },
      { message: 'movie 1 failed', path: ['_entities', 2], extensions: { code: 'NOT_FOUND' } },
      { message: 'movie 1 failed', path: ['_entities', 4], extensions: { code: 'NOT_FOUND' } },
      { message: 'rating failed', path: ['_entities', 1, 'averageRating'] },
      { message: 'rating failed', path: ['_entities', 3, 'averageRating'] },
      { message: 'not about an entity' },
      { message: 'out of range stays as it is', path: ['_entities', 7] },
    ]);
  });

  it('expands the errors of an answer whose data is null', () => {
    const sent = distinctRepresentations([movie('1'), movie('1')]);
    const expanded = expandEntities({ data: null, errors: [{ message: 'boom', path: ['_entities', 0] }] }, sent);
    expect(expanded.data).toBeNull();
    expect(expanded.errors?.map((error) => error.path)).toEqual([
      ['_entities', 0],
      ['_entities', 1],
    ]);
  });

  it('hands an answer that does not match what was sent to the gateway untouched, for it to report', () => {
    const sent = distinctRepresentations([movie('1'), movie('1'), movie('2')]);
    const wrongLength = { data: { _entities: [{ title: 'A' }] } };
    expect(expandEntities(wrongLength, sent)).toBe(wrongLength);
    const notAList = { data: { _entities: null } };
    expect(expandEntities(notAList, sent)).toBe(notAList);
  });
});

describe('representations as the gateway builds them (null prototype)', () => {
  const built = (fields: object) => Object.assign(Object.create(null) as object, fields);

  it('sends each once, as its JSON, and tells apart ids of different types or JSON types', () => {
    const list = [
      movie('1'),
      movie('2'),
      movie('1'),
      { __typename: 'Person', id: '1' },
      { __typename: 'Movie', id: 1 },
      movie('quote " \\ \u0001 \u{1F3AC}'),
      movie('2'),
    ];
    const sent = distinctRepresentations(list.map(built));
    expect(sent.json).toBe(JSON.stringify([list[0], list[1], list[3], list[4], list[5]]));
    expect([...sent.positions!]).toEqual([0, 1, 0, 2, 3, 4, 1]);
  });

  it('compares representations with more than an id by their JSON', () => {
    const list = [
      { __typename: 'Movie', id: '1', year: 1999 },
      { __typename: 'Movie', id: '1', year: 2000 },
      { __typename: 'Movie', id: '1', year: 1999 },
      { __typename: 'Movie', id: '1', owner: { __typename: 'User', id: '7' } },
      { __typename: 'Movie', id: '1', owner: { __typename: 'User', id: '7' } },
    ];
    const sent = distinctRepresentations(list.map(built));
    expect(sent.json).toBe(JSON.stringify([list[0], list[1], list[3]]));
    expect([...sent.positions!]).toEqual([0, 1, 0, 2, 2]);
  });

  it('compares by JSON an id that is no string or finite number, and a representation of another shape', () => {
    const list = [
      { __typename: 'Movie', id: null },
      { __typename: 'Movie', id: null },
      { id: '1', __typename: 'Movie' },
      { id: '1', __typename: 'Movie' },
      { __typename: 'Movie' },
    ];
    const sent = distinctRepresentations(list.map(built));
    expect(sent.json).toBe(JSON.stringify([list[0], list[2], list[4]]));
    expect([...sent.positions!]).toEqual([0, 0, 1, 1, 2]);
  });
});
