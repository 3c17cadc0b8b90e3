import { ErrorCode } from '@cinema/kit/errors';
import { describe, expect, it } from 'vitest';
import { StreamErrorStatus } from '../chunk-server/src/stream-errors.js';
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

  it('lists every code a stream URL (a chunk server) can answer, with its status, in a table of its own', () => {
    const section = errorsSection();
    const streamTable = section.slice(section.indexOf('served by the chunk servers'));
    const rows = streamTable.split('\n').filter((line) => line.startsWith('| `'));
    const wrong = Object.entries(StreamErrorStatus)
      .map(([code]) => [code, rows.find((row) => row.includes(`\`${code}\``))] as const)
      .filter(([code, row]) => !row?.includes(`| ${StreamErrorStatus[code as keyof typeof StreamErrorStatus]} |`))
      .map(([code]) => code);
    expect(wrong).toEqual([]);
  });
});
