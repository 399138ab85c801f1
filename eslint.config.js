// Type-aware lint over src/, test/, bench/ and scripts/ (`npm run lint`, part of `npm test`).
// Rules switched off or tuned here fight a deliberate style of the codebase; each says why.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  {
    ignores: [
      'dist/',
      'coverage/',
      'node_modules/',
      'src/adapters/db/generated/', // Prisma's generated client
      'prisma/',
      'public/', // the console's browser script, served as is
      'bench/profiles/',
      'data/',
      'docs/',
      'locales/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      // A `default` branch is a decision (Stripe alone has hundreds of event types); a switch without one must name
      // every member of the union.
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Ports and locale helpers are closures typed with method syntax and are meant to be destructured
      // (`const { t, money } = ctx.locale`); none of them uses `this`.
      '@typescript-eslint/unbound-method': 'off',
      // `async` is how an in-memory adapter or a Fastify plugin meets a Promise-returning contract without awaiting.
      '@typescript-eslint/require-await': 'off',
      // JSON details and raw SQL values are `unknown` by type but strings or numbers by construction.
      '@typescript-eslint/no-base-to-string': ['error', { checkUnknown: false }],
      // URLSearchParams stringifies to a query string, which is what the templates want.
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allow: [{ from: 'lib', name: ['URLSearchParams'] }], allowNumber: true },
      ],
    },
  },
  {
    // Tests, fakes and benches read untyped JSON (request bodies, API replies) and assert on it: a wrong shape fails
    // the test anyway, and typing every fake's body would double the fakes.
    files: ['test/**', 'bench/**'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
    },
  },
  {
    // Plain JavaScript config files are outside tsconfig.json.
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    files: ['scripts/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } },
  },
);
