import { CatalogueError } from './catalogue-error.js';
import { isCatalogueEmpty } from './is-catalogue-empty.js';
import { truncateCatalogue } from './truncate-catalogue.js';

export interface PrepareOptions {
  /** Wipe whatever is there (the seed's `--force`, the import's `--replace`). */
  wipe: boolean;
  /** Shown when the catalogue is not empty and `wipe` is off: how to wipe it on purpose. */
  refusal: string;
}

/**
 * Makes sure the loaders write into an empty catalogue: wipes it when asked, otherwise refuses a non-empty one, so
 * a stray command never destroys or corrupts a live catalogue.
 */
export async function prepareEmptyCatalogue(connectionString: string, { wipe, refusal }: PrepareOptions): Promise<void> {
  // Checked even when wiping: it is what reports an unmigrated database clearly.
  const empty = await isCatalogueEmpty(connectionString);
  if (wipe) await truncateCatalogue(connectionString);
  else if (!empty) throw new CatalogueError('CATALOGUE_NOT_EMPTY', refusal);
}
