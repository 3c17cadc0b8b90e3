import { CombinedGraphQLErrors, ServerError } from '@apollo/client/errors';

/** The `extensions.code` values of a failed operation, e.g. `['UNAUTHENTICATED']`. */
export function errorCodes(error: unknown): string[] {
  if (CombinedGraphQLErrors.is(error)) return error.errors.map((e) => (typeof e.extensions?.code === 'string' ? e.extensions.code : 'UNKNOWN'));
  return [];
}

const MESSAGES: Record<string, string> = {
  UNAUTHENTICATED: 'Please log in to do that.',
  NOT_FOUND: 'We could not find that.',
  EMAIL_TAKEN: 'An account with this email already exists. Log in instead?',
  INVALID_CREDENTIALS: 'Email or password is wrong.',
  BAD_USER_INPUT: 'Please check what you entered.',
  RATE_LIMITED: 'Too many requests right now; try again in a minute.',
  STREAM_NOT_AVAILABLE: 'This film cannot be played yet: it has no video.',
  STREAMING_UNAVAILABLE: 'Streaming is unavailable right now. Please try again in a little while.',
  SUBGRAPH_UNAVAILABLE: 'Part of the service is unavailable right now; some information may be missing.',
};

/** A sentence a viewer can act on, from an Apollo error: the known codes first, then the server's own message. */
export function describeError(error: unknown): string {
  for (const code of errorCodes(error)) {
    const message = MESSAGES[code];
    if (message) return code === 'BAD_USER_INPUT' && CombinedGraphQLErrors.is(error) ? error.errors[0]!.message : message;
  }
  if (ServerError.is(error)) return `The server answered ${error.statusCode}; please try again.`;
  if (error instanceof TypeError) return 'Cannot reach the server; check your connection.';
  return error instanceof Error ? error.message : 'Something went wrong.';
}

export function ErrorMessage({ error, retry }: { error: unknown; retry?: () => void }) {
  return (
    <div className="error" role="alert">
      <p>{describeError(error)}</p>
      {retry && (
        <button type="button" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}
