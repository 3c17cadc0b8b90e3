import { sql, type RawBuilder } from 'kysely';

export interface TextSearchTarget {
  /** Text search configuration of the table's `search_document`: `english` stems words, `simple` (names) does not. */
  configuration: 'english' | 'simple';
  /** The column a typo-tolerant match is measured against by trigrams (a title, a name). */
  column: string;
}

/**
 * The platform's search over a table with a generated `search_document` tsvector and a trigram index on `column`.
 * A row matches when its document contains the words (full-text, `websearch_to_tsquery`, which accepts any input
 * without a syntax error) or when the text is close to a word sequence of `column` by trigrams, which is what finds
 * "The Godfather" for "godfater"; both conditions are served by GIN indexes.
 *
 * Rank = full-text rank + trigram similarity to the whole column (so the exact title beats its sequels) + word
 * similarity (so a close match inside a long title still counts); callers break ties by id. The text is always a
 * bound parameter.
 */
export function textSearch(text: string, { configuration, column }: TextSearchTarget): { matches: RawBuilder<boolean>; rank: RawBuilder<number> } {
  const query = sql`websearch_to_tsquery(${sql.lit(configuration)}, ${text})`;
  const target = sql.ref(column);
  return {
    matches: sql<boolean>`(search_document @@ ${query} or ${text} <% ${target})`,
    rank: sql<number>`ts_rank(search_document, ${query}) + similarity(${text}, ${target}) + word_similarity(${text}, ${target})`,
  };
}
