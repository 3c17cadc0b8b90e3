import { GraphQLError, Kind, parse, Source, validate, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { CheckReport } from './check-report.js';
import { INVALID_ON_PURPOSE_MARKER } from './extract-typescript-operations.js';
import type { OperationCandidate } from './operation-candidate.js';

export interface OperationSchemas {
  /** What clients query through the router. */
  api: GraphQLSchema;
  /** What the router queries on each subgraph, by subgraph name. */
  subgraphs: ReadonlyMap<string, GraphQLSchema>;
}

/**
 * Validates operations the way their receiver will on the first request: client operations against the API schema,
 * and fetches the router sends to one subgraph (named `<Op>__<subgraph>__<n>` as in query plans, or selecting
 * `_entities`/`_service`) against that subgraph's schema. Each problem names `file:line:column`, the operation and
 * GraphQL's own message, so the fix is obvious without running anything.
 */
export function checkOperations(schemas: OperationSchemas, operations: readonly OperationCandidate[]): CheckReport {
  const report: CheckReport = { check: 'operations', problems: [], notes: [] };
  const checked = { api: 0, subgraph: 0 };
  for (const operation of operations) {
    if (operation.skip) {
      report.notes.push(`not checked: ${operation.file}:${operation.line} ${summarize(operation.text)} (${operation.skip})`);
      continue;
    }
    const source = new Source(operation.text, operation.file);
    let document: DocumentNode;
    try {
      document = parse(source);
    } catch (error) {
      if (!(error instanceof GraphQLError)) throw error;
      report.problems.push(describeProblem(operation, error));
      continue;
    }
    const { receiver, errors } = validateForReceiver(schemas, document);
    checked[receiver]++;
    for (const error of errors) report.problems.push(describeProblem(operation, error, document));
  }
  report.notes.unshift(
    `validated ${checked.api + checked.subgraph} GraphQL document(s) from ${new Set(operations.map((o) => o.file)).size} file(s): ` +
      `${checked.api} against the API schema, ${checked.subgraph} subgraph fetch(es) against their subgraph's schema`,
  );
  if (report.problems.length > 0) {
    report.problems.push(
      `A literal not meant for this graph (an error-handling test, a fake upstream) is skipped when ${INVALID_ON_PURPOSE_MARKER} stands right before it.`,
    );
  }
  return report;
}

/** The API schema's errors, or for a subgraph fetch none if one of the subgraphs it may target accepts it. */
function validateForReceiver(schemas: OperationSchemas, document: DocumentNode): { receiver: 'api' | 'subgraph'; errors: readonly GraphQLError[] } {
  const operations = document.definitions.flatMap((d) => (d.kind === Kind.OPERATION_DEFINITION ? [d] : []));
  const named = operations.flatMap((o) => /__([A-Za-z0-9_-]+?)__\d+$/.exec(o.name?.value ?? '')?.[1] ?? []).filter((name) => schemas.subgraphs.has(name));
  const federationEntryPoint = operations.some((o) =>
    o.selectionSet.selections.some((s) => s.kind === Kind.FIELD && (s.name.value === '_entities' || s.name.value === '_service')),
  );
  const targets = named.length > 0 ? named : federationEntryPoint ? [...schemas.subgraphs.keys()] : [];
  if (targets.length === 0) return { receiver: 'api', errors: validate(schemas.api, document) };
  const attempts = targets.flatMap((name) => {
    const schema = schemas.subgraphs.get(name);
    return schema ? [validate(schema, document)] : [];
  });
  return { receiver: 'subgraph', errors: attempts.find((errors) => errors.length === 0) ?? attempts[0] ?? [] };
}

const describeProblem = (operation: OperationCandidate, error: GraphQLError, document?: DocumentNode): string => {
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
