import ts from 'typescript';
import type { OperationCandidate } from './operation-candidate.js';

/**
 * Marker for a literal that is not meant to be valid against this graph (a test of the router's error handling, a
 * query to a fake upstream), written right before it: `graphql(url, /* invalid GraphQL *\/ \`{ movie { budget } }\`)`.
 */
export const INVALID_ON_PURPOSE_MARKER = '/* invalid GraphQL */';

// `query(...) {`, `mutation Name {`, `fragment F on T {`, or a selection set opening on a field: `{ movie(`.
const operationStart = /^\s*(?:(?:query|mutation|subscription)\b\s*[A-Za-z_(@{]|fragment\s+[A-Za-z_]|\{\s*[A-Za-z_][A-Za-z0-9_]*\s*[\s({:}@])/;

/**
 * Finds the string and template literals of a TypeScript file that are GraphQL operations, by their shape: they
 * start like an operation or a selection set and end with `}`. A test that posts a string is the repository
 * sending that operation, so a rename in a subgraph must not leave it silently asking for a missing field.
 * Placeholders (`${...}`) inside GraphQL string values become `x`; elsewhere the literal is reported as not checked.
 */
export function extractTypeScriptOperations(file: string, sourceText: string): OperationCandidate[] {
  const source = ts.createSourceFile(file, sourceText, ts.ScriptTarget.Latest, true, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const found: OperationCandidate[] = [];
  const visit = (node: ts.Node): void => {
    let text: string | undefined;
    let skip: string | undefined;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
      text = node.text;
    } else if (ts.isTemplateExpression(node)) {
      text = node.head.text;
      for (const span of node.templateSpans) {
        const insideString = (text.match(/(?<!\\)"/g)?.length ?? 0) % 2 === 1;
        if (!insideString) skip = 'built with ${...} outside a GraphQL string value, so its final text is only known at run time';
        text += `x${span.literal.text}`;
      }
    }
    if (text === undefined) {
      ts.forEachChild(node, visit);
      return;
    }
    if (!operationStart.test(text) || !text.trimEnd().endsWith('}')) return;
    const start = source.getLineAndCharacterOfPosition(node.getStart(source) + 1);
    // The trivia before the literal: comments on the same line as the previous token are not "leading" to TypeScript.
    if (sourceText.slice(node.pos, node.getStart(source)).includes(INVALID_ON_PURPOSE_MARKER)) skip = `marked ${INVALID_ON_PURPOSE_MARKER}`;
    found.push({ file, line: start.line + 1, column: start.character + 1, text, ...(skip ? { skip } : {}) });
  };
  visit(source);
  return found;
}
