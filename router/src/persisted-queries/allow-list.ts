import { ErrorCode } from '@cinema/kit/errors';
import type { RequestRefusal } from '@cinema/kit/graphql-http';
import { operationHash } from './persisted-query-manifest.js';

/**
 * Allow-list mode (`PERSISTED_QUERIES_ONLY=true`), as large public APIs run: an operation sent as text runs only if
 * its SHA-256 is registered (403 `OPERATION_NOT_ALLOWED` otherwise, before anything parses it); one sent by hash
 * alone resolves from the manifest or gets Apollo's `PERSISTED_QUERY_NOT_FOUND`, and clients cannot register new
 * ones (see `ManifestQueryCache`).
 */
export function checkAllowList(query: string, registered: ReadonlyMap<string, string>): RequestRefusal | null {
  if (registered.has(operationHash(query))) return null;
  return { status: 403, code: ErrorCode.OPERATION_NOT_ALLOWED, message: 'Only registered operations run on this API; this one is not registered' };
}
