import { ErrorCode } from '@cinema/kit/errors';
import type { RequestRefusal } from '@cinema/kit/graphql-http';
import { BREAK, getOperationAST, OperationTypeNode, parse, visit, type DocumentNode } from 'graphql';

const refusal = (code: string, message: string): RequestRefusal => ({ status: 400, code, message });

/**
 * Refuses, before Apollo runs, what the router cannot serve, with a code that names it (README, "Errors"):
 *
 * - a **subscription** (`SUBSCRIPTIONS_NOT_SUPPORTED`): the graph has no `Subscription` type and the router no
 *   transport for one (no WebSocket, no SSE). Left to the gateway, the operation would reach its planner and come
 *   back as a 500 `INVALID_GRAPHQL`;
 * - **`@defer`** and **`@stream`** anywhere in the document (`DEFER_NOT_SUPPORTED`, `STREAM_NOT_SUPPORTED`): the
 *   router answers every operation in one response, and the schema does not declare those directives, so Apollo
 *   would answer with a validation error that does not say why.
 *
 * Only documents whose text mentions one of these words are parsed, so ordinary operations cost a few substring
 * searches. Text that does not parse is left to Apollo (`GRAPHQL_PARSE_FAILED`).
 */
export function refuseUnsupportedOperation(query: string, operationName: unknown): RequestRefusal | null {
  if (!query.includes('subscription') && !query.includes('defer') && !query.includes('stream')) return null;
  let document: DocumentNode;
  try {
    document = parse(query, { noLocation: true });
  } catch {
    return null;
  }
  const operation = getOperationAST(document, typeof operationName === 'string' ? operationName : undefined);
  if (operation?.operation === OperationTypeNode.SUBSCRIPTION) {
    return refusal(ErrorCode.SUBSCRIPTIONS_NOT_SUPPORTED, 'Subscriptions are not supported: the graph has no Subscription type; poll with a query instead');
  }
  let found: RequestRefusal | null = null;
  visit(document, {
    Directive(node) {
      if (node.name.value === 'defer')
        found = refusal(ErrorCode.DEFER_NOT_SUPPORTED, '@defer is not supported: the router sends each response whole; remove the directive');
      else if (node.name.value === 'stream')
        found = refusal(ErrorCode.STREAM_NOT_SUPPORTED, '@stream is not supported: the router sends each response whole; remove the directive');
      return found ? BREAK : undefined;
    },
  });
  return found;
}
