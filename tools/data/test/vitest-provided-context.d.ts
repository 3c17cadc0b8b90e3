// The root global setup declares what it `provide`s (`databaseUrl`, `adminDatabaseUrl`) by augmenting vitest's
// ProvidedContext. The root tsconfig sees that file; this package's own typecheck (`tsc -p db`) only sees it
// through this import, without which `inject('adminDatabaseUrl')` in test/support does not type.
import type {} from '../../../test/global-setup.js';
