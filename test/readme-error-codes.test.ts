import { ErrorCode } from '@cinema/kit/errors';
import { describe, expect, it } from 'vitest';
import { SubgraphErrorCode } from '../router/src/balancing/subgraph-errors.js';
import { readmeSection } from './support/readme-section.js';

/** The README's "Errors" section, where every code the graph can return must be listed for client developers. */
const errorsSection = (): string => readmeSection('Errors');

describe('README "Errors"', () => {
  it("lists every code of ErrorCode, the balancer's subgraph codes, and the Apollo and HTTP codes clients get", () => {
    const section = errorsSection();
    const others = ['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'OPERATION_RESOLUTION_FAILURE', 'PERSISTED_QUERY_NOT_FOUND', 'PAYLOAD_TOO_LARGE'];
    const missing = [...Object.values(ErrorCode), ...Object.values(SubgraphErrorCode), ...others].filter((code) => !section.includes(`\`${code}\``));
    expect(missing).toEqual([]);
  });
});
