import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolverTypesCodegenConfig } from './schema/src/resolver-types-codegen.js';

/** `npm run codegen`: each subgraph's resolver types from its SDL (see schema/src/resolver-types-codegen.ts). */
export default resolverTypesCodegenConfig(path.dirname(fileURLToPath(import.meta.url)));
