import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ErrorCode } from '@cinema/kit/errors';
import { repoRoot } from '@cinema/data-tools';
import { describe, expect, it } from 'vitest';
import { SubgraphErrorCode } from '../router/src/balancing/subgraph-errors.js';

/** The README's "Errors" section, where every code the graph can return must be listed for client developers. */
const errorsSection = (): string => {
  const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const start = readme.indexOf('\n## Errors\n');
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end === -1 ? undefined : end);
};

describe('README "Errors"', () => {
  it("lists every code of ErrorCode, the balancer's subgraph codes, and the Apollo and HTTP codes clients get", () => {
    const section = errorsSection();
    const others = ['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'OPERATION_RESOLUTION_FAILURE', 'PERSISTED_QUERY_NOT_FOUND', 'PAYLOAD_TOO_LARGE'];
    const missing = [...Object.values(ErrorCode), ...Object.values(SubgraphErrorCode), ...others].filter((code) => !section.includes(`\`${code}\``));
    expect(missing).toEqual([]);
  });
});
