import { Kind, parse, visit, type DocumentNode } from 'graphql';
import type { OperationCandidate } from './operation-candidate.js';

const tryParse = (text: string): DocumentNode | undefined => {
  try {
    return parse(text, { noLocation: true });
  } catch {
    return undefined;
  }
};

const spreadNames = (document: DocumentNode): Set<string> => {
  const names = new Set<string>();
  visit(document, { FragmentSpread: (node) => void names.add(node.name.value) });
  return names;
};

/**
 * Joins each operation with the fragments it spreads that live in other literals of the same package (the first
 * folder of the path), as a client app colocates them: `query MoviePage { movie { ...MovieCard } }` in one component,
 * `fragment MovieCard on Movie` in another. Fragments are appended after the operation's own text, so reported
 * lines still point into the operation; a fragment no operation spreads stays on its own and is reported unused.
 */
export function linkFragments(candidates: readonly OperationCandidate[]): OperationCandidate[] {
  const packageOf = (candidate: OperationCandidate) => candidate.file.split('/', 1)[0]!;
  const fragmentsByPackage = new Map<string, Map<string, OperationCandidate>>();
  const parsed = new Map<OperationCandidate, DocumentNode>();
  for (const candidate of candidates) {
    const document = candidate.skip ? undefined : tryParse(candidate.text);
    if (!document) continue;
    parsed.set(candidate, document);
    const definitions = document.definitions;
    if (definitions.length > 0 && definitions.every((d) => d.kind === Kind.FRAGMENT_DEFINITION)) {
      const pool = fragmentsByPackage.get(packageOf(candidate)) ?? new Map<string, OperationCandidate>();
      for (const definition of definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) pool.set(definition.name.value, candidate);
      fragmentsByPackage.set(packageOf(candidate), pool);
    }
  }
  const used = new Set<OperationCandidate>();
  const linked = candidates.map((candidate): OperationCandidate => {
    const document = parsed.get(candidate);
    const pool = fragmentsByPackage.get(packageOf(candidate));
    if (!document || !pool || !document.definitions.some((d) => d.kind === Kind.OPERATION_DEFINITION)) return candidate;
    const defined = new Set(document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [d.name.value] : [])));
    const appended: OperationCandidate[] = [];
    const pending = [...spreadNames(document)];
    while (pending.length > 0) {
      const name = pending.pop()!;
      const source = defined.has(name) ? undefined : pool.get(name);
      if (!source) continue;
      const sourceDocument = parsed.get(source)!;
      for (const definition of sourceDocument.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) defined.add(definition.name.value);
      appended.push(source);
      used.add(source);
      pending.push(...spreadNames(sourceDocument));
    }
    return appended.length === 0 ? candidate : { ...candidate, text: [candidate.text, ...appended.map((source) => source.text)].join('\n') };
  });
  return linked.filter((candidate) => !used.has(candidate));
}
