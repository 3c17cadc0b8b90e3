import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Kind, parse, print } from 'graphql';

/**
 * Registered operations in Apollo's persisted query manifest format (what `@apollo/generate-persisted-query-manifest`
 * writes and GraphOS reads), so a client build can produce it and the router load it unchanged.
 */
export interface PersistedQueryManifest {
  format: 'apollo-persisted-query-manifest';
  version: 1;
  operations: { id: string; name: string; type: 'query' | 'mutation' | 'subscription'; body: string }[];
}

/** The SHA-256 (hex) of an operation's text, as automatic persisted queries and the manifest's ids use it. */
export const operationHash = (body: string): string => createHash('sha256').update(body).digest('hex');

/** Raised when a manifest cannot be used; names the file and the problem. */
export class PersistedQueryManifestError extends Error {
  readonly code = 'PERSISTED_QUERY_MANIFEST_INVALID';
  constructor(path: string, problem: string) {
    super(`Persisted query manifest ${path}: ${problem}`);
    this.name = 'PersistedQueryManifestError';
  }
}

/**
 * Reads a manifest into hash → operation text. Every id must be the hash of its body, so a tampered or hand-edited
 * entry stops start-up instead of registering an operation under someone else's hash.
 */
export function readPersistedQueryManifest(path: string): ReadonlyMap<string, string> {
  let manifest: PersistedQueryManifest;
  try {
    manifest = JSON.parse(readFileSync(path, 'utf8')) as PersistedQueryManifest;
  } catch (error) {
    throw new PersistedQueryManifestError(path, (error as Error).message);
  }
  if (manifest.format !== 'apollo-persisted-query-manifest' || manifest.version !== 1 || !Array.isArray(manifest.operations)) {
    throw new PersistedQueryManifestError(path, 'not an apollo-persisted-query-manifest of version 1');
  }
  const operations = new Map<string, string>();
  for (const operation of manifest.operations) {
    if (typeof operation.body !== 'string' || operation.id !== operationHash(operation.body)) {
      throw new PersistedQueryManifestError(path, `operation ${JSON.stringify(operation.name)}: id is not the SHA-256 of its body`);
    }
    operations.set(operation.id, operation.body);
  }
  return operations;
}

/**
 * Builds a manifest from GraphQL documents (one operation each, with its fragments), each printed in GraphQL's
 * canonical form: that printed text is what a client sends, or the hash it sends instead.
 */
export function buildPersistedQueryManifest(documents: readonly string[]): PersistedQueryManifest {
  const operations = documents.map((text) => {
    const document = parse(text, { noLocation: true });
    const operation = document.definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION);
    if (!operation || operation.kind !== Kind.OPERATION_DEFINITION || !operation.name) throw new Error('each document must hold one named operation');
    const body = print(document);
    return { id: operationHash(body), name: operation.name.value, type: operation.operation, body };
  });
  operations.sort((a, b) => a.name.localeCompare(b.name));
  return { format: 'apollo-persisted-query-manifest', version: 1, operations };
}
