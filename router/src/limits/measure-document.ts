import { Kind, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';

/** What {@link measureDocument} finds: the largest value over the document's operations. */
export interface DocumentMeasures {
  depth: number;
  aliases: number;
  /** Nested lists of types or fields inside `__schema`/`__type` (see `MAX_INTROSPECTION_LISTS`). */
  introspectionLists: number;
}

const INTROSPECTION_ROOTS = new Set(['__schema', '__type']);
const INTROSPECTION_LISTS = new Set(['types', 'fields', 'args', 'inputFields', 'interfaces', 'possibleTypes', 'enumValues', 'directives']);

/**
 * Measures a parsed document before validation, with no schema: nesting depth and aliases of the operations with
 * fragments expanded, and how deeply an introspection query nests lists of types.
 *
 * Each fragment is measured once (memoised), so a "fragment bomb" (`F1 { ...F2 ...F2 } F2 { ...F3 ...F3 }`) costs
 * linear time here; a fragment cycle counts as nothing, since validation refuses it anyway.
 */
export function measureDocument(document: DocumentNode): DocumentMeasures {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const memo = new Map<string, DocumentMeasures>();
  const inProgress = new Set<string>();

  const measure = (selectionSet: SelectionSetNode | undefined, introspection: boolean): DocumentMeasures => {
    const result: DocumentMeasures = { depth: 0, aliases: 0, introspectionLists: 0 };
    if (!selectionSet) return result;
    const include = (child: DocumentMeasures, extraDepth: number, extraLists: number) => {
      result.depth = Math.max(result.depth, child.depth + extraDepth);
      result.aliases += child.aliases;
      result.introspectionLists = Math.max(result.introspectionLists, child.introspectionLists + extraLists);
    };
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        const entersIntrospection = !introspection && INTROSPECTION_ROOTS.has(name);
        const inside = introspection || entersIntrospection;
        const child = measure(selection.selectionSet, inside);
        if (selection.alias) result.aliases += 1;
        // Introspection is bounded by the schema's size and by its own rule below, so it adds no depth.
        include(inside ? { ...child, depth: 0 } : child, inside ? 0 : 1, introspection && INTROSPECTION_LISTS.has(name) ? 1 : 0);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        include(measure(selection.selectionSet, introspection), 0, 0);
      } else {
        const key = `${selection.name.value}:${introspection}`;
        const fragment = fragments.get(selection.name.value);
        if (!fragment || inProgress.has(key)) continue;
        let measured = memo.get(key);
        if (!measured) {
          inProgress.add(key);
          measured = measure(fragment.selectionSet, introspection);
          inProgress.delete(key);
          memo.set(key, measured);
        }
        include(measured, 0, 0);
      }
    }
    return result;
  };

  const total: DocumentMeasures = { depth: 0, aliases: 0, introspectionLists: 0 };
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    const measured = measure(definition.selectionSet, false);
    total.depth = Math.max(total.depth, measured.depth);
    total.aliases = Math.max(total.aliases, measured.aliases);
    total.introspectionLists = Math.max(total.introspectionLists, measured.introspectionLists);
  }
  return total;
}
