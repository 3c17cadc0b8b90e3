import { writeFileSync } from 'node:fs';
import { persistedOperationsManifest, PERSISTED_OPERATIONS_PATH } from '../persisted-queries/persisted-operations.js';

// Registers the operations of examples/ for allow-list mode (PERSISTED_QUERIES_ONLY=true).
writeFileSync(PERSISTED_OPERATIONS_PATH, `${JSON.stringify(persistedOperationsManifest(), null, 2)}\n`);
console.log(`wrote ${PERSISTED_OPERATIONS_PATH}`);
