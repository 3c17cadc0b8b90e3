import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '@cinema/kit/logging';
import { isValidAssetId } from '@cinema/kit/stream-token';
import { type AssetManifest, AssetManifestError, readAssetManifest } from './media/asset-manifest.js';
import { classifyMediaFile } from './media/media-file-names.js';
import { mediaResponsePolicy } from './media-response-policy.js';

/** A file ready to serve: where it is, and every header that does not depend on the request. */
export interface MediaFile {
  readonly absolutePath: string;
  readonly size: number;
  readonly etag: string;
  readonly lastModified: string;
  readonly contentType: string;
  readonly cacheControl: string;
}

/**
 * The assets under a media root, as their manifests describe them.
 *
 * Why a manifest and not the directory: a file is served only if the manifest lists it, with the size, ETag and
 * date recorded at ingest, so every replica answers identically and a stray file dropped into an asset folder is
 * never exposed. Paths are resolved once with `realpath` and must stay inside the asset's folder within the media
 * root, which defeats symlinks pointing elsewhere. Assets are immutable once ingested, so resolutions are cached
 * for the life of the process and the hot path does no file-system work besides reading the bytes.
 */
export class MediaLibrary {
  readonly #root: string;
  readonly #logger: Logger | undefined;
  #realRoot: Promise<string> | undefined;
  readonly #manifests = new Map<string, Promise<AssetManifest | undefined>>();
  readonly #files = new Map<string, MediaFile>();

  constructor(root: string, logger?: Logger) {
    this.#root = path.resolve(root);
    this.#logger = logger;
  }

  /** The manifest of an asset, or undefined if there is no complete asset with this id. */
  async asset(assetId: string): Promise<AssetManifest | undefined> {
    if (!isValidAssetId(assetId)) return undefined;
    const cached = this.#manifests.get(assetId);
    if (cached) return cached;
    // The promise is cached so that concurrent first requests read the manifest once.
    const pending = this.#loadManifest(assetId);
    this.#manifests.set(assetId, pending);
    const manifest = await pending;
    // Misses are not remembered: an asset ingested after start-up becomes available without a restart.
    if (!manifest) this.#manifests.delete(assetId);
    return manifest;
  }

  /** A whitelisted, manifest-listed file of an asset, resolved inside the media root; undefined otherwise. */
  async file(assetId: string, relativePath: string): Promise<MediaFile | undefined> {
    const cached = this.#files.get(`${assetId}/${relativePath}`);
    if (cached) return cached;
    const manifest = await this.asset(assetId);
    const entry = manifest?.files[relativePath];
    const kind = classifyMediaFile(relativePath);
    if (!manifest || !entry || !kind) return undefined;

    const assetDir = await this.#realAssetDir(assetId);
    if (!assetDir) return undefined;
    const real = await realpath(path.join(assetDir, relativePath)).catch(() => undefined);
    if (!real || !isInside(assetDir, real)) {
      this.#logger?.warn({ assetId, file: relativePath }, 'refusing a media file that resolves outside its asset folder');
      return undefined;
    }
    const stats = await stat(real).catch(() => undefined);
    if (!stats?.isFile() || stats.size !== entry.size) {
      this.#logger?.error({ assetId, file: relativePath }, 'media file is missing or differs from its manifest');
      return undefined;
    }
    const file: MediaFile = {
      absolutePath: real,
      size: entry.size,
      etag: entry.etag,
      lastModified: new Date(manifest.ingestedAt).toUTCString(),
      ...mediaResponsePolicy(kind),
    };
    this.#files.set(`${assetId}/${relativePath}`, file);
    return file;
  }

  /** Number of complete assets on disk now (reads the root folder; meant for health checks, not the hot path). */
  async countAssets(): Promise<number> {
    const root = await this.#resolveRoot();
    if (!root) return 0;
    const entries = await readdir(root).catch(() => []);
    let count = 0;
    for (const entry of entries) if (isValidAssetId(entry) && (await this.asset(entry))) count += 1;
    return count;
  }

  async #loadManifest(assetId: string): Promise<AssetManifest | undefined> {
    const assetDir = await this.#realAssetDir(assetId);
    if (!assetDir) return undefined;
    try {
      const manifest = await readAssetManifest(assetDir);
      if (manifest.assetId !== assetId) {
        this.#logger?.error({ assetId }, 'asset manifest names another asset; ignoring it');
        return undefined;
      }
      return manifest;
    } catch (error) {
      // A folder without a manifest is not an asset (yet): the ingest writes the manifest last.
      if (!(error instanceof AssetManifestError && error.reason === 'ENOENT')) this.#logger?.error({ assetId, err: error }, 'unreadable asset manifest');
      return undefined;
    }
  }

  async #realAssetDir(assetId: string): Promise<string | undefined> {
    const root = await this.#resolveRoot();
    if (!root) return undefined;
    const real = await realpath(path.join(root, assetId)).catch(() => undefined);
    if (real && !isInside(root, real)) {
      this.#logger?.warn({ assetId }, 'refusing an asset folder that resolves outside the media root');
      return undefined;
    }
    return real;
  }

  #resolveRoot(): Promise<string | undefined> {
    this.#realRoot ??= realpath(this.#root);
    return this.#realRoot.catch(() => {
      // The root may be created later (first ingest); try again next time.
      this.#realRoot = undefined;
      return undefined;
    });
  }
}

function isInside(parent: string, child: string): boolean {
  return child.startsWith(parent + path.sep);
}
