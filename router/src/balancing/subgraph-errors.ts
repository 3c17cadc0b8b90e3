import { GraphQLError } from 'graphql';

/**
 * Codes the router gives a client when a subgraph could not answer. They are part of the public contract (clients
 * branch on them, e.g. to show "ratings are unavailable" beside the rest of the page), so they are never renamed or
 * reused. The rest of the response still carries whatever the other subgraphs answered.
 */
export const SubgraphErrorCode = {
  /** No replica of the subgraph could be reached: every one is ejected, or each one tried refused the connection. */
  SUBGRAPH_UNAVAILABLE: 'SUBGRAPH_UNAVAILABLE',
  /** The subgraph did not answer within its timeout (after one retry on another replica, for queries). */
  SUBGRAPH_TIMEOUT: 'SUBGRAPH_TIMEOUT',
  /** The connection to the subgraph broke mid-request; a mutation in this state is not retried, as it may have run. */
  SUBGRAPH_REQUEST_FAILED: 'SUBGRAPH_REQUEST_FAILED',
} as const;

export type SubgraphErrorCode = (typeof SubgraphErrorCode)[keyof typeof SubgraphErrorCode];

/**
 * The error for a subgraph fetch that failed in transport. The gateway passes a thrown error through as it is (it
 * adds `serviceName` only to errors a subgraph returns), so the subgraph's name is set here, in the message for
 * people and in `extensions.serviceName` for programs. Replica addresses stay out: they are for the logs.
 */
export function subgraphError(code: SubgraphErrorCode, subgraph: string, detail: string): GraphQLError {
  return new GraphQLError(`Subgraph "${subgraph}" ${detail}`, { extensions: { code, serviceName: subgraph } });
}
