/** Stable codes for ingest failures the caller can act on (wrong id, already there, unusable source). */
export type IngestErrorCode = 'ASSET_ID_INVALID' | 'ASSET_EXISTS' | 'SOURCE_UNREADABLE' | 'SOURCE_HAS_NO_VIDEO' | 'ENCODING_INCOMPLETE';

/** A media ingest that cannot proceed, with a code that stays the same when the message is reworded. */
export class IngestError extends Error {
  constructor(
    readonly code: IngestErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'IngestError';
  }
}
