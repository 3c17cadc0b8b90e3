import { ErrorCode } from '@cinema/kit/errors';
import type { RequestRefusal } from '@cinema/kit/graphql-http';
import { Lexer, parse, Source, TokenKind, type DocumentNode } from 'graphql';
import { measureDocument } from './measure-document.js';
import { MAX_INTROSPECTION_LISTS, type QueryLimits } from './query-limits.js';

/** Operation texts already found within the limits, so the ones clients repeat are not lexed again. */
const REMEMBERED = 2_000;

/**
 * The static half of {@link QueryLimits}, checked on an operation's text before Apollo parses or validates it:
 * token count (`QUERY_TOO_LARGE`), depth (`QUERY_TOO_DEEP`), aliases (`TOO_MANY_ALIASES`) and introspection nesting
 * (`QUERY_TOO_COMPLEX`). A hostile document costs one lexing pass bounded by `maxTokens` and a linear walk, never
 * the quadratic parts of validation. Text that is not GraphQL passes: Apollo answers `GRAPHQL_PARSE_FAILED`.
 */
export class DocumentLimits {
  readonly #admitted = new Set<string>();

  constructor(private readonly limits: QueryLimits) {}

  /** A 400 refusal naming the limit and the value over it, or null when the text is within every limit. */
  check(source: string): RequestRefusal | null {
    if (this.#admitted.has(source)) return null;
    const refusal = this.#measure(source);
    if (!refusal) {
      if (this.#admitted.size >= REMEMBERED) this.#admitted.delete(this.#admitted.values().next().value!);
      this.#admitted.add(source);
    }
    return refusal;
  }

  #measure(source: string): RequestRefusal | null {
    const { maxTokens, maxDepth, maxAliases } = this.limits;
    if (countTokens(source, maxTokens) > maxTokens) return refusal(ErrorCode.QUERY_TOO_LARGE, `The query has more than ${maxTokens} tokens`, { maxTokens });
    let document: DocumentNode;
    try {
      document = parse(source, { noLocation: true });
    } catch {
      return null;
    }
    const { depth, aliases, introspectionLists } = measureDocument(document);
    if (depth > maxDepth) return refusal(ErrorCode.QUERY_TOO_DEEP, `The query nests fields ${depth} deep; the limit is ${maxDepth}`, { depth, maxDepth });
    if (aliases > maxAliases)
      return refusal(ErrorCode.TOO_MANY_ALIASES, `The query uses ${aliases} aliases; the limit is ${maxAliases}`, { aliases, maxAliases });
    if (introspectionLists > MAX_INTROSPECTION_LISTS) {
      return refusal(
        ErrorCode.QUERY_TOO_COMPLEX,
        `The introspection query nests ${introspectionLists} lists of types or fields; the limit is ${MAX_INTROSPECTION_LISTS}`,
        {
          introspectionLists,
          maxIntrospectionLists: MAX_INTROSPECTION_LISTS,
        },
      );
    }
    return null;
  }
}

/** Tokens in `source`; counting stops once past `max`, and at a lexing error (parsing reports that). */
function countTokens(source: string, max: number): number {
  const lexer = new Lexer(new Source(source));
  let count = 0;
  try {
    while (lexer.advance().kind !== TokenKind.EOF) if (++count > max) break;
  } catch {
    // Not GraphQL: Apollo's own parse answers GRAPHQL_PARSE_FAILED.
  }
  return count;
}

const refusal = (code: string, message: string, extensions: Record<string, number>): RequestRefusal => ({ status: 400, code, message, extensions });
