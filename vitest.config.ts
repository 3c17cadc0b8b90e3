import { defineConfig } from 'vitest/config';

/**
 * One test run for the whole repository. The suffix says what a test needs: `*.test.ts` runs in-process (pure
 * logic, or a real PostgreSQL through the shared per-run database), `*.e2e.ts` starts real service processes.
 */
export default defineConfig({
  test: {
    include: ['**/test/**/*.test.ts', '**/test/**/*.e2e.ts'],
    exclude: ['**/node_modules/**', '.data/**'],
    globalSetup: ['./test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // Two cores: end-to-end files each start several Node processes, so running many at once only adds noise.
    maxWorkers: 2,
    reporters: ['default'],
    // Vite gives inlined code graphql's ESM build while Node gives externals the CommonJS one; GraphQL Inspector
    // must share the schemas' copy of graphql, or its instanceof checks throw "from another module or realm".
    server: { deps: { inline: ['@graphql-inspector/core'] } },
  },
});
