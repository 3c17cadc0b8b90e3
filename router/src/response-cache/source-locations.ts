import { parse, type ASTNode, type DocumentNode } from 'graphql';

/** Where an error points, as GraphQL responses give it (1-based). */
export interface SourceLocation {
  line: number;
  column: number;
}

/** Maps a position in the text Apollo ran to the same node's position in the text the client sent. */
export type SourceLocationMap = ReadonlyMap<string, SourceLocation>;

const keyOf = (line: number, column: number) => `${line}:${column}`;

/**
 * The response cache runs a rewritten text (the client's operation printed again, with entity keys added), so the
 * `locations` of the errors Apollo reports (validation, variable coercion, execution) point into that text, which
 * the client never saw. This pairs every node of the rewritten text with the client's node it was printed from:
 * both trees have the same shape, except for the selections the rewrite appends at the end of selection sets, which
 * have no counterpart and are skipped.
 *
 * @param original the client's document, parsed with locations
 * @param rewritten the text Apollo runs
 */
export function sourceLocationMap(original: DocumentNode, rewritten: string): SourceLocationMap {
  const map = new Map<string, SourceLocation>();
  const pair = (ours: ASTNode, theirs: ASTNode) => {
    if (ours.loc && theirs.loc) {
      map.set(keyOf(ours.loc.startToken.line, ours.loc.startToken.column), { line: theirs.loc.startToken.line, column: theirs.loc.startToken.column });
    }
    for (const [key, value] of Object.entries(theirs)) {
      if (key === 'loc') continue;
      const counterpart = (ours as unknown as Record<string, unknown>)[key];
      if (Array.isArray(value) && Array.isArray(counterpart)) {
        value.forEach((item, index) => {
          if (isNode(item) && isNode(counterpart[index])) pair(counterpart[index], item);
        });
      } else if (isNode(value) && isNode(counterpart)) {
        pair(counterpart, value);
      }
    }
  };
  pair(parse(rewritten), original);
  return map;
}

const isNode = (value: unknown): value is ASTNode => value !== null && typeof value === 'object' && typeof (value as { kind?: unknown }).kind === 'string';

/** `locations` of response errors mapped back to the client's text; a location with no counterpart stays as it is. */
export function mapErrorLocations<T extends { locations?: readonly SourceLocation[] | undefined }>(errors: readonly T[], map: SourceLocationMap): T[] {
  return errors.map((error) =>
    error.locations ? { ...error, locations: error.locations.map((location) => map.get(keyOf(location.line, location.column)) ?? location) } : error,
  );
}
