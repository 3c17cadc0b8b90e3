/** A GraphQL operation document found in the repository, with where its text starts (1-based). */
export interface OperationCandidate {
  /** Path relative to the scanned root, with `/` separators. */
  file: string;
  line: number;
  column: number;
  text: string;
  /** Why it is not validated (marked invalid on purpose, built by interpolation); absent when it is. */
  skip?: string;
}
