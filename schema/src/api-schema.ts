import { printSchema, Supergraph } from '@apollo/federation-internals';
import { buildSchema, type GraphQLSchema } from 'graphql';

/**
 * The schema clients see through the router: the supergraph minus federation machinery (`join__*`, `link__*`,
 * `@inaccessible` elements). Breaking changes and client operations are judged against this, not the raw
 * supergraph, because a change to routing metadata alone breaks no client.
 *
 * Printed and rebuilt with this package's `graphql` so the schema's types belong to the same copy of the library
 * as the code that inspects them (bundlers may load Apollo's CommonJS `graphql` beside an ESM one).
 */
export function buildApiSchema(supergraphSdl: string): GraphQLSchema {
  return buildSchema(printSchema(Supergraph.build(supergraphSdl).apiSchema()));
}
