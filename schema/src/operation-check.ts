import { GraphQLError, Kind, parse, Source, validate, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { CheckReport } from './check-report.js';
import type { OperationCandidate } from './operation-candidate.js';

/**
 * Validates operations against the API schema, the way the router will on the first request. Each problem names
 * `file:line:column`, the operation and GraphQL's own message, so the fix is obvious without running anything.
 */
export function checkOperations(apiSchema: GraphQLSchema, operations: readonly OperationCandidate[]): CheckReport {
  const report: CheckReport = { check: 'operations', problems: [], notes: [] };
  let checked = 0;
  for (const operation of operations) {
    if (operation.skip) {
      report.notes.push(`not checked: ${operation.file}:${operation.line} ${summarize(operation.text)} (${operation.skip})`);
      continue;
    }
    checked++;
    const source = new Source(operation.text, operation.file);
    let document: DocumentNode;
    try {
      document = parse(source);
    } catch (error) {
      if (!(error instanceof GraphQLError)) throw error;
      report.problems.push(describe(operation, error));
      continue;
    }
    for (const error of validate(apiSchema, document)) report.problems.push(describe(operation, error, document));
  }
  report.notes.unshift(`validated ${checked} GraphQL document(s) from ${new Set(operations.map((o) => o.file)).size} file(s) against the API schema`);
  return report;
}

const describe = (operation: OperationCandidate, error: GraphQLError, document?: DocumentNode): string => {
  // GraphQL counts from the start of the literal; the report counts from the start of the file.
  const inText = error.locations?.[0] ?? { line: 1, column: 1 };
  const line = operation.line + inText.line - 1;
  const column = inText.line === 1 ? operation.column + inText.column - 1 : inText.column;
  return `${operation.file}:${line}:${column} ${operationName(error, document) ?? summarize(operation.text)}: ${error.message}`;
};

/** `query MovieDetails`, for the named operation or fragment the error points into. */
const operationName = (error: GraphQLError, document: DocumentNode | undefined): string | undefined => {
  const at = error.nodes?.[0]?.loc?.start;
  if (at === undefined || !document) return undefined;
  const definition = document.definitions.find((d) => d.loc && d.loc.start <= at && at <= d.loc.end);
  if (definition?.kind === Kind.OPERATION_DEFINITION && definition.name) return `${definition.operation} ${definition.name.value}`;
  if (definition?.kind === Kind.FRAGMENT_DEFINITION) return `fragment ${definition.name.value}`;
  return undefined;
};

const summarize = (text: string): string => {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return `\`${oneLine.length > 70 ? `${oneLine.slice(0, 67)}...` : oneLine}\``;
};
