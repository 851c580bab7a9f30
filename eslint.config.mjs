// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * Rules that need the types, so they catch bugs the syntax cannot show: a promise nobody awaits or
 * catches, a promise handed where a plain callback's result is ignored, `await` on a non-promise, an
 * `as` that changes nothing, a switch that misses a member of its union, `${object}` printing
 * "[object Object]", `any` leaking out of JSON or a catch. `recommendedTypeCheckedOnly` minus
 * require-await: an async function without `await` is how we keep a Promise-returning signature.
 */
const typeAwareRules = {
  ...Object.assign({}, ...tseslint.configs.recommendedTypeCheckedOnly.map((config) => config.rules ?? {})),
  // node:test's describe/it return promises the runner itself tracks.
  '@typescript-eslint/no-floating-promises': [
    'error',
    {
      allowForKnownSafeCalls: [
        { from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] },
      ],
    },
  ],
  '@typescript-eslint/no-misused-promises': 'error',
  '@typescript-eslint/await-thenable': 'error',
  '@typescript-eslint/no-unnecessary-type-assertion': 'error',
  // A switch with a `default` has chosen what the other members do (often: nothing to add).
  '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
  '@typescript-eslint/require-await': 'off',
};

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', 'test-results/**', '.tools/**', 'webview-ui/dist/**', '.scratch/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
      'no-console': 'off',
    },
  },
  {
    // Each file is checked against its nearest tsconfig.json: the root one, webview-ui's (DOM) or test/webview's.
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: typeAwareRules,
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  {
    // CommonJS on purpose: it hooks require() before loading the bundle the way VS Code does.
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { process: 'readonly', console: 'readonly', require: 'readonly', module: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
