import { Kind, parse, type ConstDirectiveNode, type DocumentNode } from 'graphql';

/**
 * The subgraphs a supergraph routes to, as composition named them: the `name` argument of each `join__Graph` value's
 * `@join__graph` directive (`MOVIES @join__graph(name: "movies", url: ...)`). Per-subgraph settings
 * (`SUBGRAPH_<NAME>_URLS`, ...) are derived from these names, so a subgraph added to the composition is configurable
 * without any change to the router.
 */
export function supergraphSubgraphNames(supergraphSdl: string | DocumentNode): string[] {
  const document = typeof supergraphSdl === 'string' ? parse(supergraphSdl, { noLocation: true }) : supergraphSdl;
  const names: string[] = [];
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.ENUM_TYPE_DEFINITION || definition.name.value !== 'join__Graph') continue;
    for (const value of definition.values ?? []) {
      const directive = value.directives?.find((d: ConstDirectiveNode) => d.name.value === 'join__graph');
      const name = directive?.arguments?.find((argument) => argument.name.value === 'name')?.value;
      names.push(name?.kind === Kind.STRING ? name.value : value.name.value.toLowerCase());
    }
  }
  return names;
}

/** The environment-variable form of a subgraph name: `movies` → `MOVIES`, `watch-history` → `WATCH_HISTORY`. */
export function subgraphEnvName(subgraph: string): string {
  return subgraph.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}
