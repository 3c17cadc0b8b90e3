/** `@cinema/kit/errors`: the platform's GraphQL error codes and the errors resolvers throw (loads graphql). */
export { ErrorCode, badUserInput, forbidden, notFound, unauthenticated } from '../error-codes.js';
