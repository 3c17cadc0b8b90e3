export type CatalogueErrorCode = 'CATALOGUE_NOT_EMPTY' | 'SCHEMA_NOT_MIGRATED' | 'INVALID_SEED_OPTIONS';

/**
 * An expected failure of the seed or the import: the database is not in a state to load into, or the options make
 * no sense. Commands print its message alone, without a stack, and exit non-zero.
 */
export class CatalogueError extends Error {
  constructor(
    readonly code: CatalogueErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'CatalogueError';
  }
}
