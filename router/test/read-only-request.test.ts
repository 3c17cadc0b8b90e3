import { describe, expect, it } from 'vitest';
import { isReadOnlyRequest } from '../src/balancing/read-only-request.js';

/** Serialised the way RemoteGraphQLDataSource does it: `query` first. */
const body = (query: string, variables: Record<string, unknown> = {}) => JSON.stringify({ query, variables });

describe('isReadOnlyRequest', () => {
  it('accepts the queries the gateway sends: named, anonymous, entity fetches', () => {
    expect(isReadOnlyRequest(body('query TopRated__ratings__0($g:String!){topRatedMovies(genre:$g){id}}'))).toBe(true);
    expect(isReadOnlyRequest(body('{movies{edges{node{id}}}}'))).toBe(true);
    expect(isReadOnlyRequest(body('query($representations:[_Any!]!){_entities(representations:$representations){...on Movie{averageRating}}}'))).toBe(true);
    expect(isReadOnlyRequest(body('\n  query Q { genres }'))).toBe(true);
  });

  it('refuses mutations and subscriptions', () => {
    expect(isReadOnlyRequest(body('mutation Rate__ratings__0($id:ID!){rateMovie(movieId:$id,score:5){score}}'))).toBe(false);
    expect(isReadOnlyRequest(body(' mutation{rateMovie(movieId:"1",score:5){score}}'))).toBe(false);
    expect(isReadOnlyRequest(body('subscription{ratings{score}}'))).toBe(false);
  });

  it('is cautious with anything it cannot read', () => {
    expect(isReadOnlyRequest(undefined)).toBe(false);
    expect(isReadOnlyRequest(Buffer.from(body('{genres}')))).toBe(false);
    expect(isReadOnlyRequest('{"variables":{}}')).toBe(false);
    expect(isReadOnlyRequest(body('fragment F on Movie{id} query{movie(id:"1"){...F}}'))).toBe(false);
    expect(isReadOnlyRequest(body('queryX'))).toBe(false);
  });
});
