import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Kind, parse } from 'graphql';
import { extractTypeScriptOperations } from './extract-typescript-operations.js';
import { findOperationFiles } from './find-operation-files.js';
import { linkFragments } from './link-fragments.js';
import type { OperationCandidate } from './operation-candidate.js';

/**
 * Every GraphQL operation the repository under `root` sends: whole `.graphql` operation files (schema files,
 * i.e. documents with type definitions, are left out) and operation literals in test, benchmark and web app code,
 * each operation with the fragments it spreads from other literals of its package.
 */
export function collectOperations(root: string): OperationCandidate[] {
  const files = findOperationFiles(root);
  const fromGraphqlFiles = files.graphql.flatMap((file): OperationCandidate[] => {
    const text = readFileSync(path.join(root, file), 'utf8');
    return isSchemaDocument(text) ? [] : [{ file, line: 1, column: 1, text }];
  });
  const fromTypeScript = files.typescript.flatMap((file) => extractTypeScriptOperations(file, readFileSync(path.join(root, file), 'utf8')));
  return linkFragments([...fromGraphqlFiles, ...fromTypeScript]);
}

/** SDL (`type Query { ... }`) is not an operation; a document that does not parse is, and fails validation. */
const isSchemaDocument = (text: string): boolean => {
  try {
    return parse(text).definitions.some((d) => d.kind !== Kind.OPERATION_DEFINITION && d.kind !== Kind.FRAGMENT_DEFINITION);
  } catch {
    return false;
  }
};
