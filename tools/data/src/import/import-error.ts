export type ImportErrorCode = 'FOLDER_NOT_FOUND' | 'NO_INPUT_FILES' | 'INVALID_FILE' | 'INVALID_OPTIONS';

/**
 * An expected failure of the Wikipedia import: the input folder or a file in it is unusable, or the options are.
 * Raised before anything is written. Odd records are not errors: they are skipped and reported.
 */
export class ImportError extends Error {
  constructor(
    readonly code: ImportErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ImportError';
  }
}
