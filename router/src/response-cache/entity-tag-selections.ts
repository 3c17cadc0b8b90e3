import {
  getNamedType,
  isAbstractType,
  isObjectType,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FieldNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type InlineFragmentNode,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';

/** Response key under which the router asks for an object's `__typename`; removed before the client sees it. */
export const ENTITY_TYPENAME_KEY = '__cacheTypename';
/** Response key under which the router asks for an object's `id`; removed before the client sees it. */
export const ENTITY_ID_KEY = '__cacheId';

/** Whether a document already uses the router's reserved response keys (it is then served uncached). */
export function usesReservedKeys(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    Field(node) {
      const key = node.alias?.value ?? node.name.value;
      if (key === ENTITY_TYPENAME_KEY || key === ENTITY_ID_KEY) found = true;
    },
  });
  return found;
}

const field = (alias: string, name: string): FieldNode => ({
  kind: Kind.FIELD,
  alias: { kind: Kind.NAME, value: alias },
  name: { kind: Kind.NAME, value: name },
});

const hasIdField = (type: GraphQLNamedType): boolean => isObjectType(type) && type.getFields().id !== undefined;

/**
 * Adds `__cacheTypename: __typename` and `__cacheId: id` to every selection set whose objects have an `id`, so that
 * the response names every entity it contains (`Movie:42`) whether or not the client asked for ids. Under interfaces
 * and unions the id is asked per possible type with an inline fragment. The extra keys are aliases no client
 * document uses ({@link usesReservedKeys}), so removing them restores exactly the response the client asked for.
 */
export function addEntityTagSelections(document: DocumentNode, schema: GraphQLSchema): DocumentNode {
  const typeInfo = new TypeInfo(schema);
  return visit(
    document,
    visitWithTypeInfo(typeInfo, {
      SelectionSet: {
        leave(node: SelectionSetNode): SelectionSetNode | undefined {
          const parent = typeInfo.getParentType();
          if (!parent) return undefined;
          const type = getNamedType(parent);
          const extra: SelectionNode[] = [];
          if (hasIdField(type)) {
            extra.push(field(ENTITY_TYPENAME_KEY, '__typename'), field(ENTITY_ID_KEY, 'id'));
          } else if (isAbstractType(type)) {
            const withIds = schema.getPossibleTypes(type).filter(hasIdField);
            if (withIds.length === 0) return undefined;
            extra.push(field(ENTITY_TYPENAME_KEY, '__typename'));
            for (const possible of withIds) {
              const fragment: InlineFragmentNode = {
                kind: Kind.INLINE_FRAGMENT,
                typeCondition: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: possible.name } },
                selectionSet: { kind: Kind.SELECTION_SET, selections: [field(ENTITY_ID_KEY, 'id')] },
              };
              extra.push(fragment);
            }
          } else {
            return undefined;
          }
          return { ...node, selections: [...node.selections, ...extra] };
        },
      },
    }),
  );
}
