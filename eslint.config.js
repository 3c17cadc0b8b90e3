// @ts-check
/**
 * ESLint for the whole repository (`npm run lint`, first step after the schema check in `npm test`).
 *
 * Type-aware: typescript-eslint asks the TypeScript compiler about each file (through `parserOptions.project`, the
 * two tsconfig files `npm run typecheck` checks), so the rules can see what a value is, e.g. that an expression is a
 * promise nobody awaits. Layout and line length are Prettier's job (`prettier.config.js`), not ESLint's.
 *
 * The rule set is the recommended one (ESLint's and typescript-eslint's `recommendedTypeChecked`) plus the few
 * rules below, each with the reason it is on. A rule is switched off only with the reason written beside it.
 *
 * `npm run lint` keeps ESLint's cache in `node_modules/.cache/eslint/`: a file is linted again when it changes, not
 * when a file it imports changes, so a type-aware finding caused by an edit elsewhere shows in CI (a fresh clone,
 * no cache) or after deleting that folder.
 */
import eslint from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default defineConfig(
  // Generated or downloaded files: their producer owns their form (git-ignored ones are listed for local runs).
  globalIgnores([
    '**/node_modules/',
    '**/dist/',
    '**/generated/',
    '**/__generated__/',
    '.data/',
    '.turbo/',
    'coverage/',
    'artifacts/',
    'docs/benchmarks/',
    'test/.readme-snippets-*/',
  ]),

  eslint.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        // The root tsconfig covers everything Node runs (services, packages, tests, benchmarks, config files),
        // `web/tsconfig.json` the browser app: two programs for the whole repository, which is what keeps a full
        // type-aware run fast (one program per workspace, as the project service would open, is several times
        // the memory and time).
        project: ['./tsconfig.json', './web/tsconfig.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // A promise nobody awaits loses its rejection (an unhandled rejection ends a Node process) and its ordering.
      // Both are in recommendedTypeChecked; named here because they are the reason this linter runs at all.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',

      // A value imported only as a type must say so: with `verbatimModuleSyntax` the import is kept in the output,
      // so `import { Pool } from 'pg'` used only in type positions would load the module at run time for nothing.
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      // `import { type A }` keeps an empty `import 'module'` (a side effect) under verbatimModuleSyntax;
      // `import type { A }` does not.
      '@typescript-eslint/no-import-type-side-effects': 'error',

      // A `switch` over a union (error codes, event kinds, roles) must handle every member, so adding a member
      // makes the compiler-aided linter point at every place that decides on it. A `default` branch still counts.
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],

      // Off: an `async` method that does not await is how this code implements a promise-returning interface
      // (Apollo plugin hooks, Keyv and rate-limiter stores, fetch-like responses): a throw inside becomes a
      // rejection, as the caller expects. The rule would have every one rewritten to `return Promise.resolve(...)`.
      '@typescript-eslint/require-await': 'off',
      // Off: Kysely's expression builder is used as documented, `.where(({ exists, selectFrom }) => ...)`, and
      // options objects are destructured for their function fields; the rule reads every such destructuring as a
      // method torn off its `this` (14 findings, none a bug).
      '@typescript-eslint/unbound-method': 'off',

      // Rejecting with a caught `unknown` passes an error on unchanged, which is what a relay must do; rejecting
      // with a string or other literal is still an error.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],

      // `_`-prefixed names are deliberately unused (a callback's leading parameters, a destructured field left out).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },

  {
    // Kysely migrations take `Kysely<any>` by Kysely's own convention: a migration must keep compiling against the
    // schema as it was when it was written, not against today's table types.
    files: ['**/migrations/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Tests read JSON bodies (`any` from `response.json()`) and check their shape with `expect`, which is the run-time
    // check these rules ask for; typing every body first would add casts, not safety. Source code keeps the rules.
    files: ['**/test/**', 'test/**', 'bench/**'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // Test helpers hand such bodies on as `any` for the same reason (`graphql()` in test/support returns `data: any`).
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    // React's two hook rules (hooks called unconditionally, effect dependencies complete). The plugin's
    // `recommended` set also brings the React Compiler's rules, which this app does not use.
    files: ['web/src/**/*.tsx', 'web/src/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },

  // Plain JavaScript outside any tsconfig: the router's GraphiQL boot script (a browser file) and these config
  // files. No type information there, so the type-aware rules are off for them.
  {
    files: ['**/*.js'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    files: ['router/src/playground/**/*.js'],
    languageOptions: {
      sourceType: 'script',
      globals: { window: 'readonly', document: 'readonly', GraphiQL: 'readonly', React: 'readonly', ReactDOM: 'readonly' },
    },
  },
);
