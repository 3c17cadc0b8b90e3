import { buildSchema, parse, print } from 'graphql';
import { describe, expect, it } from 'vitest';
import { addEntityTagSelections, usesReservedKeys } from '../../src/response-cache/entity-tag-selections.js';
import { extractEntityTags } from '../../src/response-cache/extract-entity-tags.js';
import { responseCacheKeys } from '../../src/response-cache/response-cache-key.js';

const schema = buildSchema(`
  type Query { movie(id: ID!): Movie, search: [Result!]! }
  type Movie { id: ID! title: String! cast: [Credit!]! }
  type Credit { character: String person: Person! }
  type Person { id: ID! name: String! }
  type Genre { name: String! }
  union Result = Movie | Genre
`);

describe('entity tags', () => {
  it('asks every object with an id for its typename and id, under reserved keys, fragments and unions included', () => {
    const document = parse(
      /* invalid GraphQL */ `query Q { movie(id: "1") { title cast { character person { ...P } } } search { ... on Genre { name } } } fragment P on Person { name }`,
    );
    const printed = print(addEntityTagSelections(document, schema));
    expect(printed).toContain('title\n    cast {\n      character\n      person {\n        ...P\n        __cacheTypename: __typename\n        __cacheId: id');
    expect(printed).toContain(/* invalid GraphQL */ 'fragment P on Person {\n  name\n  __cacheTypename: __typename\n  __cacheId: id\n}');
    expect(printed).toContain('... on Movie {\n      __cacheId: id\n    }');
    // Credit has no id: nothing added there.
    expect(printed).not.toMatch(/character\n\s+person[^]*?__cacheId[^]*?\n\s+}\n\s+__cacheId/);
  });

  it('collects `Type:id` tags and removes the added keys in place, leaving the client’s response exact', () => {
    const data = {
      movie: {
        title: 'A',
        __cacheTypename: 'Movie',
        __cacheId: '1',
        cast: [{ character: 'x', person: { name: 'P', __cacheTypename: 'Person', __cacheId: '7' } }],
      },
    };
    const tags = new Set<string>();
    extractEntityTags(data, tags);
    expect([...tags].sort()).toEqual(['Movie:1', 'Person:7']);
    expect(data).toEqual({ movie: { title: 'A', cast: [{ character: 'x', person: { name: 'P' } }] } });
  });

  it('spots documents that already use the reserved keys (they are served uncached)', () => {
    expect(usesReservedKeys(parse('{ movie(id: "1") { __cacheId: title } }'))).toBe(true);
    expect(usesReservedKeys(parse('{ movie(id: "1") { title } }'))).toBe(false);
  });
});

describe('response cache keys', () => {
  const input = { normalizedQuery: /* invalid GraphQL */ '{ a }', operationName: null, variables: { b: 1, a: { y: 2, x: 1 } }, accept: '' };
  const anonymous = { userId: null, roles: [] };

  it('ignore the order of variables', () => {
    expect(responseCacheKeys(input, anonymous)).toEqual(responseCacheKeys({ ...input, variables: { a: { x: 1, y: 2 }, b: 1 } }, anonymous));
  });

  it('depend on the response media type, not on how Accept spells it', () => {
    expect(responseCacheKeys({ ...input, accept: '*/*' }, anonymous)).toEqual(responseCacheKeys({ ...input, accept: 'application/json' }, anonymous));
    expect(responseCacheKeys({ ...input, accept: 'application/graphql-response+json' }, anonymous).shared).not.toBe(responseCacheKeys(input, anonymous).shared);
  });

  it('share the public key across callers and give each user a personal one', () => {
    const alice = responseCacheKeys(input, { userId: 'alice', roles: [] });
    const bob = responseCacheKeys(input, { userId: 'bob', roles: [] });
    const nobody = responseCacheKeys(input, anonymous);
    expect(alice.shared).toBe(bob.shared);
    expect(new Set([alice.personal, bob.personal, nobody.personal, alice.shared]).size).toBe(4);
    expect(responseCacheKeys(input, { userId: 'alice', roles: ['editor'] }).personal).not.toBe(alice.personal);
  });
});
