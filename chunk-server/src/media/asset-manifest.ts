import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from '@cinema/kit/config';

/** Written last by the ingest: an asset folder without it is incomplete and never served. */
export const MANIFEST_FILE_NAME = 'manifest.json';

const fileEntry = z.object({
  size: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** Strong entity tag derived from the content only, so every replica serving a copy answers the same. */
  etag: z.string().regex(/^"[0-9a-z-]+"$/),
});

const segmentEntry = z.object({ file: z.string(), durationSeconds: z.number().positive() });

const renditionEntry = z.object({
  name: z.string(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  /** Peak segment bit rate in bits/s, as EXT-X-STREAM-INF BANDWIDTH requires. */
  bandwidth: z.number().int().positive(),
  averageBandwidth: z.number().int().positive(),
  /** RFC 6381 codecs, e.g. `avc1.4d401e,mp4a.40.2`. */
  codecs: z.string(),
  targetDurationSeconds: z.number().int().positive(),
  segments: z.array(segmentEntry).min(1),
});

/**
 * Everything known about an ingested asset. It lists every servable file with its size and hash: the chunk server
 * serves a file only if the manifest names it, and takes ETag and Last-Modified from here rather than from the
 * disk, so that replicas holding copies made at different times still agree.
 */
export const assetManifestSchema = z.object({
  schemaVersion: z.literal(1),
  assetId: z.string(),
  title: z.string(),
  durationSeconds: z.number().positive(),
  /** Ingest time, whole seconds (HTTP dates have no finer resolution). */
  ingestedAt: z.iso.datetime(),
  renditions: z.array(renditionEntry).min(1),
  files: z.record(z.string(), fileEntry),
});

export type AssetManifest = z.infer<typeof assetManifestSchema>;
export type ManifestFile = z.infer<typeof fileEntry>;
export type ManifestRendition = z.infer<typeof renditionEntry>;

/** Raised when a manifest is missing, unreadable or does not match the schema. */
export class AssetManifestError extends Error {
  readonly code = 'ASSET_MANIFEST_INVALID';
  constructor(
    readonly assetDir: string,
    /** `ENOENT` when there is simply no manifest (yet). */
    readonly reason: string,
  ) {
    super(`Invalid asset manifest in ${assetDir}: ${reason}`);
    this.name = 'AssetManifestError';
  }
}

/** Reads and validates `<assetDir>/manifest.json`. */
export async function readAssetManifest(assetDir: string): Promise<AssetManifest> {
  let text: string;
  try {
    text = await readFile(path.join(assetDir, MANIFEST_FILE_NAME), 'utf8');
  } catch (error) {
    throw new AssetManifestError(assetDir, (error as NodeJS.ErrnoException).code ?? 'unreadable');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AssetManifestError(assetDir, 'not JSON');
  }
  const result = assetManifestSchema.safeParse(json);
  if (!result.success) throw new AssetManifestError(assetDir, result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
  return result.data;
}

/** The strong ETag of a file: a hash of its size and SHA-256, identical wherever the bytes are. */
export function contentEtag(size: number, sha256: string): string {
  return `"${createHash('sha256').update(`${size}:${sha256}`).digest('hex').slice(0, 32)}"`;
}
