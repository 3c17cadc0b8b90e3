import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSubgraph, printSchema } from '@apollo/federation-internals';
import { buildSchema, type GraphQLSchema } from 'graphql';
import { parse as parseYaml } from 'yaml';

interface SupergraphConfig {
  subgraphs: Record<string, { routing_url: string; schema: { file: string } }>;
}

/**
 * Each subgraph's full schema as the router sees it when it calls the subgraph: its own SDL plus the federation
 * entry points (`_entities`, `_service`, `_Any`). Operations sent to one subgraph (query-plan fetches in router
 * tests) are valid against these, not against the client API.
 *
 * Printed and rebuilt with this package's `graphql`, like {@link buildApiSchema}, to stay in one copy of the library.
 */
export function buildSubgraphSchemas(configPath: string): Map<string, GraphQLSchema> {
  const config = parseYaml(readFileSync(configPath, 'utf8')) as SupergraphConfig;
  return new Map(
    Object.entries(config.subgraphs).map(([name, subgraph]) => {
      const sdl = readFileSync(path.resolve(path.dirname(configPath), subgraph.schema.file), 'utf8');
      return [name, buildSchema(printSchema(buildSubgraph(name, subgraph.routing_url, sdl).validate().schema))];
    }),
  );
}
