import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, found from this file so commands work from any working directory. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Where assets live when `MEDIA_ROOT` is not set: inside the checkout's git-ignored `.data/`, so that
 * `npm run media:demo` and `npm start` agree without configuration.
 */
export const defaultMediaRoot = path.join(repoRoot, '.data', 'media');
