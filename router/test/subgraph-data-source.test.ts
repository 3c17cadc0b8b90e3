import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { SubgraphRequest } from '../src/balancing/balanced-fetcher.js';
import { BufferedResponse } from '../src/balancing/buffered-response.js';
import type { RouterContext } from '../src/router-context.js';
import { SubgraphDataSource, type SubgraphTransport } from '../src/subgraph-data-source.js';

interface Sent {
  request: SubgraphRequest;
  mergeKey: string | undefined;
  signal: AbortSignal | undefined;
}

/** A transport that records what the data source sends and answers with `answer(body)`. */
function transport(answer: (body: Record<string, any>) => unknown, headers: Record<string, string> = {}) {
  const sent: Sent[] = [];
  const target: SubgraphTransport = {
    send: async (request, mergeKey, signal) => {
      sent.push({ request, mergeKey, signal });
      return new BufferedResponse(
        'http://replica/graphql',
        200,
        { 'content-type': 'application/json', ...headers },
        JSON.stringify(answer(JSON.parse(request.body))),
      );
    },
  };
  return { sent, target };
}

const ENTITIES = 'query Q__ratings__1($representations:[_Any!]!){_entities(representations:$representations){...on Movie{averageRating}}}';

function options(query: string, variables: Record<string, unknown>, context: Partial<RouterContext>): GraphQLDataSourceProcessOptions<RouterContext> {
  const restricted: unknown[] = [];
  return {
    kind: 'incoming operation',
    request: { query, variables, operationName: 'Q__ratings__1' },
    context,
    document: parse(query),
    incomingRequestContext: { overallCachePolicy: { restrict: (hint: unknown) => restricted.push(hint), restricted } },
  } as unknown as GraphQLDataSourceProcessOptions<RouterContext>;
}

const movie = (id: string) => ({ __typename: 'Movie', id });

describe('SubgraphDataSource', () => {
  it('sends each representation once and answers the gateway in its own order and length', async () => {
    const { sent, target } = transport((body) => ({
      data: { _entities: body.variables.representations.map((rep: { id: string }) => ({ averageRating: Number(rep.id) })) },
    }));
    const source = new SubgraphDataSource(target);
    const representations = [movie('1'), movie('2'), movie('1'), movie('1'), movie('3')];
    const result = await source.process(options(ENTITIES, { representations }, { identity: { userId: null, roles: [] }, requestId: 'r1' }));
    const body = JSON.parse(sent[0]!.request.body);
    expect(body).toEqual({ query: ENTITIES, variables: { representations: [movie('1'), movie('2'), movie('3')] }, operationName: 'Q__ratings__1' });
    expect(result.data).toEqual({ _entities: [1, 2, 1, 1, 3].map((averageRating) => ({ averageRating })) });
  });

  it("lets go of the gateway's representation objects once they are in the body, keeping the array's length", async () => {
    let atSend: unknown[] | undefined;
    const { target } = transport((body) => ({
      data: { _entities: body.variables.representations.map((rep: { id: string }) => ({ averageRating: Number(rep.id) })) },
    }));
    const source = new SubgraphDataSource({
      send: (request, mergeKey, signal) => {
        // What the gateway's array holds while the fetch waits and runs: the objects are no longer reachable from it.
        atSend = [...representations];
        return target.send(request, mergeKey, signal);
      },
    });
    const representations: unknown[] = [movie('1'), movie('2'), movie('1')];
    const result = await source.process(options(ENTITIES, { representations }, { identity: { userId: null, roles: [] }, requestId: 'r1' }));
    expect(atSend).toEqual([null, null, null]);
    expect(representations).toHaveLength(3);
    expect(result.data).toEqual({ _entities: [1, 2, 1].map((averageRating) => ({ averageRating })) });
  });

  it('keeps the other variables beside the deduplicated representations', async () => {
    const { sent, target } = transport((body) => ({ data: { _entities: body.variables.representations.map(() => ({})) } }));
    await new SubgraphDataSource(target).process(options(ENTITIES, { first: 3, representations: [movie('1'), movie('1')] }, {}));
    expect(JSON.parse(sent[0]!.request.body).variables).toEqual({ first: 3, representations: [movie('1')] });
  });

  it('forwards the verified identity and request id, and merges only with requests of the same caller', async () => {
    const { sent, target } = transport(() => ({ data: { ok: true } }));
    const source = new SubgraphDataSource(target);
    const query = /* invalid GraphQL */ 'query Q__ratings__0{ok}';
    await source.process(options(query, {}, { identity: { userId: 'ann', roles: ['editor'] }, requestId: 'a' }));
    await source.process(options(query, {}, { identity: { userId: 'ann', roles: ['editor'] }, requestId: 'b' }));
    await source.process(options(query, {}, { identity: { userId: 'bob', roles: [] }, requestId: 'c' }));
    await source.process(options(query, {}, { identity: { userId: null, roles: [] }, requestId: 'd' }));
    expect(sent[0]!.request.headers).toMatchObject({ 'x-user-id': 'ann', 'x-user-roles': 'editor', 'x-request-id': 'a', 'content-type': 'application/json' });
    expect(sent[3]!.request.headers['x-user-id']).toBeUndefined();
    // The request id labels logs only; the caller is part of the key.
    expect(sent[0]!.mergeKey).toBe(sent[1]!.mergeKey);
    expect(new Set(sent.map((one) => one.mergeKey)).size).toBe(3);
    expect(sent.every((one) => one.request.readOnly)).toBe(true);
  });

  it('marks a mutation as not repeatable, and hands the client-gone signal on', async () => {
    const { sent, target } = transport(() => ({ data: { rateMovie: { score: 5 } } }));
    const gone = new AbortController();
    await new SubgraphDataSource(target).process(options('mutation M__ratings__0{rateMovie(movieId:"1",score:5){score}}', {}, { signal: gone.signal }));
    expect(sent[0]!.request.readOnly).toBe(false);
    expect(sent[0]!.signal).toBe(gone.signal);
  });

  it("folds the subgraph's cache-control into the request's policy and reports the entities it changed", async () => {
    const { target } = transport(() => ({ data: { ok: true }, extensions: { changedEntities: ['Movie:1'] } }), { 'cache-control': 'max-age=60, private' });
    const capture = { tags: new Set<string>() };
    const processed = options(/* invalid GraphQL */ 'query Q__ratings__0{ok}', {}, { responseCapture: capture as never });
    await new SubgraphDataSource(target).process(processed);
    expect(
      (processed as unknown as { incomingRequestContext: { overallCachePolicy: { restricted: unknown[] } } }).incomingRequestContext.overallCachePolicy
        .restricted,
    ).toEqual([{ maxAge: 60, scope: 'PRIVATE' }]);
    expect([...capture.tags]).toEqual(['Movie:1']);
  });

  it('turns a non-2xx answer into an error carrying the status, as the gateway expects', async () => {
    const target: SubgraphTransport = {
      send: async () => new BufferedResponse('http://replica/graphql', 401, { 'content-type': 'application/json' }, '{"errors":[{"message":"bad signature"}]}'),
    };
    await expect(new SubgraphDataSource(target).process(options(/* invalid GraphQL */ 'query Q__ratings__0{ok}', {}, {}))).rejects.toMatchObject({
      message: '401: Unauthorized',
      extensions: { code: 'UNAUTHENTICATED', response: { status: 401, body: { errors: [{ message: 'bad signature' }] } } },
    });
  });
});
