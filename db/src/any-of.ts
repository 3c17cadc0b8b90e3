import { sql, type RawBuilder } from 'kysely';

/**
 * `= any($1)` with the whole list bound as ONE array parameter. A batch of 5,000 keys stays one parameter and one
 * prepared shape, instead of 5,000 placeholders that change the statement text with every batch size.
 */
export function anyOf<T extends string | number>(values: readonly T[]): RawBuilder<T> {
  return sql<T>`any(${[...values]})`;
}
