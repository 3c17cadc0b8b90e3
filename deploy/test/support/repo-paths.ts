import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, from this file, so the deploy tests read the real descriptors wherever vitest runs. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
