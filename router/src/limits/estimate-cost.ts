import {
  Kind,
  OperationTypeNode,
  valueFromASTUntyped,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLFieldMap,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/** Arguments that bound the size of a list: `movies(first:)`, `topRatedMovies(limit:)`, `User.ratings(first:)`. */
const SLICE_ARGUMENTS = ['first', 'limit'];

export interface CostOptions {
  /** Size assumed for a list with no slicing argument and no default. */
  assumedListSize: number;
  variables?: Readonly<Record<string, unknown>> | undefined;
}

/**
 * Estimates what an operation may make the graph resolve: the number of objects its answer can hold, each list
 * counted at its largest size. A list's size is its `first`/`limit` argument (literal, variable, or the schema's
 * default); a connection's (`movies(first: 100) { edges { ... } }`) bounds the lists right inside it; other lists
 * (`cast`, `Person.movies`, `directors`) count as `assumedListSize`. Scalars cost nothing, introspection and
 * `__typename` neither (introspection has its own bound).
 *
 * So `movies(first: 100) { edges { node { cast { person { movies { cast { person { name } } } } } } } }` costs
 * 1 + 100 + 100 + 2,000 + 2,000 + 40,000 + 800,000 + 800,000 and is refused, while a movie page with its cast
 * costs about 60. Works on a validated document; fragments are costed once each (memoised).
 *
 * The schema is Apollo's, which may belong to another copy of graphql-js than this module (CommonJS beside ESM
 * under a bundler), so types are told apart by shape, not with `instanceof`-based predicates.
 */
export function estimateCost(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, options: CostOptions): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const variableDefaults = new Map<string, unknown>();
  for (const definition of operation.variableDefinitions ?? []) {
    if (definition.defaultValue) variableDefaults.set(definition.variable.name.value, valueFromASTUntyped(definition.defaultValue));
  }
  const memo = new Map<string, number>();

  const sliceOf = (field: FieldNode, definition: GraphQLField<unknown, unknown>): number | undefined => {
    for (const name of SLICE_ARGUMENTS) {
      const argument = definition.args.find((a) => a.name === name);
      if (!argument) continue;
      const node = field.arguments?.find((a) => a.name.value === name);
      let value: unknown = argument.defaultValue;
      if (node?.value.kind === Kind.VARIABLE) {
        const variable = node.value.name.value;
        value =
          options.variables && variable in options.variables
            ? options.variables[variable]
            : variableDefaults.has(variable)
              ? variableDefaults.get(variable)
              : argument.defaultValue;
      } else if (node) {
        value = valueFromASTUntyped(node.value);
      }
      if (typeof value === 'number' && Number.isFinite(value)) return Math.max(0, Math.floor(value));
    }
    return undefined;
  };

  /** Cost of one object of `type` with this selection; `slice` bounds the lists right inside a connection. */
  const cost = (selectionSet: SelectionSetNode | undefined, type: GraphQLNamedType, slice: number | undefined): number => {
    if (!selectionSet) return 0;
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const definition = selection.name.value.startsWith('__') ? undefined : fieldsOf(type)?.[selection.name.value];
        if (!definition) continue;
        // A type's SDL notation: `[CastCredit!]!` is a list of CastCredit.
        const notation = String(definition.type);
        const fieldType = schema.getType(notation.replace(/[[\]!]/g, ''));
        if (!fieldType || !isComposite(fieldType)) continue;
        const isList = notation.startsWith('[');
        const own = sliceOf(selection, definition);
        const size = isList ? (own ?? slice ?? options.assumedListSize) : 1;
        total += size * (1 + cost(selection.selectionSet, fieldType, isList ? undefined : own));
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : type;
        if (condition && isComposite(condition)) total += cost(selection.selectionSet, condition, slice);
      } else {
        const fragment = fragments.get(selection.name.value);
        const condition = fragment ? schema.getType(fragment.typeCondition.name.value) : undefined;
        if (!fragment || !condition || !isComposite(condition)) continue;
        const key = `${fragment.name.value}:${slice ?? ''}`;
        let value = memo.get(key);
        if (value === undefined) {
          value = cost(fragment.selectionSet, condition, slice);
          memo.set(key, value);
        }
        total += value;
      }
    }
    return total;
  };

  const root =
    operation.operation === OperationTypeNode.QUERY
      ? schema.getQueryType()
      : operation.operation === OperationTypeNode.MUTATION
        ? schema.getMutationType()
        : schema.getSubscriptionType();
  return root ? cost(operation.selectionSet, root, undefined) : 0;
}

/** The fields of an object or interface type; undefined for other types. */
const fieldsOf = (type: GraphQLNamedType): GraphQLFieldMap<unknown, unknown> | undefined =>
  'getFields' in type && !('parseValue' in type) ? (type.getFields() as GraphQLFieldMap<unknown, unknown>) : undefined;

/** Objects, interfaces and unions: what a selection set applies to. */
const isComposite = (type: GraphQLNamedType): boolean => fieldsOf(type) !== undefined || 'getTypes' in type;
