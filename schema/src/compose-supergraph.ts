import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { parse as parseYaml } from 'yaml';

/** Folder of the composition config and the committed supergraph. */
export const schemaDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const supergraphPath = path.join(schemaDir, 'supergraph.graphql');
export const configPath = path.join(schemaDir, 'supergraph.yaml');

interface SupergraphConfig {
  subgraphs: Record<string, { routing_url: string; schema: { file: string } }>;
}

export type CompositionResult = { ok: true; supergraphSdl: string } | { ok: false; errors: string[] };

/**
 * Composes the subgraphs listed in `supergraph.yaml` with Apollo's own composition library, the same algorithm
 * Rover and GraphOS use, so what passes here composes in any Apollo tooling.
 */
export function composeSupergraph(config = configPath): CompositionResult {
  const parsed = parseYaml(readFileSync(config, 'utf8')) as SupergraphConfig;
  const errors: string[] = [];
  const services = Object.entries(parsed.subgraphs).flatMap(([name, subgraph]) => {
    const file = path.resolve(path.dirname(config), subgraph.schema.file);
    try {
      return [{ name, url: subgraph.routing_url, typeDefs: parse(readFileSync(file, 'utf8')) }];
    } catch (error) {
      errors.push(`subgraph "${name}" (${path.relative(process.cwd(), file)}): ${error instanceof Error ? error.message : String(error)}`);
      return [];
    }
  });
  if (errors.length > 0) return { ok: false, errors };
  const result = composeServices(services);
  if (result.errors) return { ok: false, errors: result.errors.map((error) => error.message) };
  return { ok: true, supergraphSdl: `${result.supergraphSdl.trimEnd()}\n` };
}
