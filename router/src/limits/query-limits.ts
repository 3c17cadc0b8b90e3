/** The router's bounds on one GraphQL operation, checked before it is planned or sent to any subgraph. */
export interface QueryLimits {
  /** Deepest field nesting, fragments expanded (`{ a { b } }` is 2). Introspection fields do not count. */
  maxDepth: number;
  /** Most aliased fields, fragments expanded. */
  maxAliases: number;
  /** Most lexical tokens in the document: bounds parsing and validation work whatever the text holds. */
  maxTokens: number;
  /** Highest estimated cost (see `estimateCost`). */
  maxCost: number;
  /** List size assumed for list fields without a `first`/`limit` argument or default (`cast`, `Person.movies`). */
  assumedListSize: number;
}

/**
 * Most nested lists of types and fields inside an introspection query (`__schema { types { fields { args } } }` is
 * 3, what GraphiQL sends); each level multiplies the answer by the size of the schema.
 */
export const MAX_INTROSPECTION_LISTS = 3;
