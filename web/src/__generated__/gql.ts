/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  mutation SignUp($email: String!, $password: String!) {\n    signUp(email: $email, password: $password) {\n      token\n      expiresAt\n      user {\n        id\n      }\n    }\n  }\n": typeof types.SignUpDocument,
    "\n  mutation LogIn($email: String!, $password: String!) {\n    logIn(email: $email, password: $password) {\n      token\n      expiresAt\n      user {\n        id\n      }\n    }\n  }\n": typeof types.LogInDocument,
    "\n  query ContinueWatching {\n    me {\n      id\n      continueWatching(first: 12) {\n        edges {\n          node {\n            id\n            positionSeconds\n            durationSeconds\n            movie {\n              id\n              title\n              ...MovieCard\n            }\n          }\n        }\n      }\n    }\n  }\n": typeof types.ContinueWatchingDocument,
    "\n  query HomeGenres {\n    genres\n  }\n": typeof types.HomeGenresDocument,
    "\n  query TopRatedRow($genre: String!) {\n    topRatedMovies(genre: $genre, limit: 12) {\n      id\n      ...MovieCard\n    }\n  }\n": typeof types.TopRatedRowDocument,
    "\n  fragment MovieCard on Movie {\n    id\n    title\n    year\n    posterUrl\n    averageRating\n  }\n": typeof types.MovieCardFragmentDoc,
    "\n  query MoviePage($id: ID!) {\n    movie(id: $id) {\n      id\n      title\n      year\n      genres\n      overview\n      posterUrl\n      averageRating\n      ratingCount\n      myRating\n      directors {\n        id\n        name\n      }\n      cast {\n        order\n        character\n        person {\n          id\n          name\n        }\n      }\n    }\n  }\n": typeof types.MoviePageDocument,
    "\n  mutation RateMovie($movieId: ID!, $score: Int!) {\n    rateMovie(movieId: $movieId, score: $score) {\n      score\n      movie {\n        id\n        averageRating\n        ratingCount\n        myRating\n      }\n    }\n  }\n": typeof types.RateMovieDocument,
    "\n  query PersonPage($id: ID!) {\n    person(id: $id) {\n      id\n      name\n      movies {\n        id\n        ...MovieCard\n      }\n    }\n  }\n": typeof types.PersonPageDocument,
    "\n  query WatchMovie($id: ID!) {\n    movie(id: $id) {\n      id\n      title\n      stream {\n        url\n        expiresAt\n      }\n      myProgress {\n        id\n        positionSeconds\n        watched\n      }\n    }\n  }\n": typeof types.WatchMovieDocument,
    "\n  mutation RecordProgress($movieId: ID!, $positionSeconds: Float!, $durationSeconds: Float!) {\n    recordProgress(movieId: $movieId, positionSeconds: $positionSeconds, durationSeconds: $durationSeconds) {\n      id\n      positionSeconds\n      durationSeconds\n      watched\n      updatedAt\n      movie {\n        id\n      }\n    }\n  }\n": typeof types.RecordProgressDocument,
    "\n  query Search($query: String!) {\n    searchMovies(query: $query, first: 12) {\n      id\n      ...MovieCard\n    }\n    searchPeople(query: $query, first: 8) {\n      id\n      name\n    }\n  }\n": typeof types.SearchDocument,
};
const documents: Documents = {
    "\n  mutation SignUp($email: String!, $password: String!) {\n    signUp(email: $email, password: $password) {\n      token\n      expiresAt\n      user {\n        id\n      }\n    }\n  }\n": types.SignUpDocument,
    "\n  mutation LogIn($email: String!, $password: String!) {\n    logIn(email: $email, password: $password) {\n      token\n      expiresAt\n      user {\n        id\n      }\n    }\n  }\n": types.LogInDocument,
    "\n  query ContinueWatching {\n    me {\n      id\n      continueWatching(first: 12) {\n        edges {\n          node {\n            id\n            positionSeconds\n            durationSeconds\n            movie {\n              id\n              title\n              ...MovieCard\n            }\n          }\n        }\n      }\n    }\n  }\n": types.ContinueWatchingDocument,
    "\n  query HomeGenres {\n    genres\n  }\n": types.HomeGenresDocument,
    "\n  query TopRatedRow($genre: String!) {\n    topRatedMovies(genre: $genre, limit: 12) {\n      id\n      ...MovieCard\n    }\n  }\n": types.TopRatedRowDocument,
    "\n  fragment MovieCard on Movie {\n    id\n    title\n    year\n    posterUrl\n    averageRating\n  }\n": types.MovieCardFragmentDoc,
    "\n  query MoviePage($id: ID!) {\n    movie(id: $id) {\n      id\n      title\n      year\n      genres\n      overview\n      posterUrl\n      averageRating\n      ratingCount\n      myRating\n      directors {\n        id\n        name\n      }\n      cast {\n        order\n        character\n        person {\n          id\n          name\n        }\n      }\n    }\n  }\n": types.MoviePageDocument,
    "\n  mutation RateMovie($movieId: ID!, $score: Int!) {\n    rateMovie(movieId: $movieId, score: $score) {\n      score\n      movie {\n        id\n        averageRating\n        ratingCount\n        myRating\n      }\n    }\n  }\n": types.RateMovieDocument,
    "\n  query PersonPage($id: ID!) {\n    person(id: $id) {\n      id\n      name\n      movies {\n        id\n        ...MovieCard\n      }\n    }\n  }\n": types.PersonPageDocument,
    "\n  query WatchMovie($id: ID!) {\n    movie(id: $id) {\n      id\n      title\n      stream {\n        url\n        expiresAt\n      }\n      myProgress {\n        id\n        positionSeconds\n        watched\n      }\n    }\n  }\n": types.WatchMovieDocument,
    "\n  mutation RecordProgress($movieId: ID!, $positionSeconds: Float!, $durationSeconds: Float!) {\n    recordProgress(movieId: $movieId, positionSeconds: $positionSeconds, durationSeconds: $durationSeconds) {\n      id\n      positionSeconds\n      durationSeconds\n      watched\n      updatedAt\n      movie {\n        id\n      }\n    }\n  }\n": types.RecordProgressDocument,
    "\n  query Search($query: String!) {\n    searchMovies(query: $query, first: 12) {\n      id\n      ...MovieCard\n    }\n    searchPeople(query: $query, first: 8) {\n      id\n      name\n    }\n  }\n": types.SearchDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignUp($email: String!, $password: String!) {\n    signUp(email: $email, password: $password) {\n      token\n      expiresAt\n      user {\n        id\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation SignUp($email: String!, $password: String!) {\n    signUp(email: $email, password: $password) {\n      token\n      expiresAt\n      user {\n        id\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LogIn($email: String!, $password: String!) {\n    logIn(email: $email, password: $password) {\n      token\n      expiresAt\n      user {\n        id\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation LogIn($email: String!, $password: String!) {\n    logIn(email: $email, password: $password) {\n      token\n      expiresAt\n      user {\n        id\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ContinueWatching {\n    me {\n      id\n      continueWatching(first: 12) {\n        edges {\n          node {\n            id\n            positionSeconds\n            durationSeconds\n            movie {\n              id\n              title\n              ...MovieCard\n            }\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ContinueWatching {\n    me {\n      id\n      continueWatching(first: 12) {\n        edges {\n          node {\n            id\n            positionSeconds\n            durationSeconds\n            movie {\n              id\n              title\n              ...MovieCard\n            }\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query HomeGenres {\n    genres\n  }\n"): (typeof documents)["\n  query HomeGenres {\n    genres\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TopRatedRow($genre: String!) {\n    topRatedMovies(genre: $genre, limit: 12) {\n      id\n      ...MovieCard\n    }\n  }\n"): (typeof documents)["\n  query TopRatedRow($genre: String!) {\n    topRatedMovies(genre: $genre, limit: 12) {\n      id\n      ...MovieCard\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment MovieCard on Movie {\n    id\n    title\n    year\n    posterUrl\n    averageRating\n  }\n"): (typeof documents)["\n  fragment MovieCard on Movie {\n    id\n    title\n    year\n    posterUrl\n    averageRating\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MoviePage($id: ID!) {\n    movie(id: $id) {\n      id\n      title\n      year\n      genres\n      overview\n      posterUrl\n      averageRating\n      ratingCount\n      myRating\n      directors {\n        id\n        name\n      }\n      cast {\n        order\n        character\n        person {\n          id\n          name\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query MoviePage($id: ID!) {\n    movie(id: $id) {\n      id\n      title\n      year\n      genres\n      overview\n      posterUrl\n      averageRating\n      ratingCount\n      myRating\n      directors {\n        id\n        name\n      }\n      cast {\n        order\n        character\n        person {\n          id\n          name\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RateMovie($movieId: ID!, $score: Int!) {\n    rateMovie(movieId: $movieId, score: $score) {\n      score\n      movie {\n        id\n        averageRating\n        ratingCount\n        myRating\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation RateMovie($movieId: ID!, $score: Int!) {\n    rateMovie(movieId: $movieId, score: $score) {\n      score\n      movie {\n        id\n        averageRating\n        ratingCount\n        myRating\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PersonPage($id: ID!) {\n    person(id: $id) {\n      id\n      name\n      movies {\n        id\n        ...MovieCard\n      }\n    }\n  }\n"): (typeof documents)["\n  query PersonPage($id: ID!) {\n    person(id: $id) {\n      id\n      name\n      movies {\n        id\n        ...MovieCard\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WatchMovie($id: ID!) {\n    movie(id: $id) {\n      id\n      title\n      stream {\n        url\n        expiresAt\n      }\n      myProgress {\n        id\n        positionSeconds\n        watched\n      }\n    }\n  }\n"): (typeof documents)["\n  query WatchMovie($id: ID!) {\n    movie(id: $id) {\n      id\n      title\n      stream {\n        url\n        expiresAt\n      }\n      myProgress {\n        id\n        positionSeconds\n        watched\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RecordProgress($movieId: ID!, $positionSeconds: Float!, $durationSeconds: Float!) {\n    recordProgress(movieId: $movieId, positionSeconds: $positionSeconds, durationSeconds: $durationSeconds) {\n      id\n      positionSeconds\n      durationSeconds\n      watched\n      updatedAt\n      movie {\n        id\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation RecordProgress($movieId: ID!, $positionSeconds: Float!, $durationSeconds: Float!) {\n    recordProgress(movieId: $movieId, positionSeconds: $positionSeconds, durationSeconds: $durationSeconds) {\n      id\n      positionSeconds\n      durationSeconds\n      watched\n      updatedAt\n      movie {\n        id\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Search($query: String!) {\n    searchMovies(query: $query, first: 12) {\n      id\n      ...MovieCard\n    }\n    searchPeople(query: $query, first: 8) {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  query Search($query: String!) {\n    searchMovies(query: $query, first: 12) {\n      id\n      ...MovieCard\n    }\n    searchPeople(query: $query, first: 8) {\n      id\n      name\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;