// Lint rules that guard the architecture: libs/domain stays pure (no I/O, no clock, no randomness).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

const impureModules = [
  '@nestjs/*', 'nats', '@eventstore/*', 'better-sqlite3', 'kysely', 'pg', 'pino', 'nestjs-pino',
  'prom-client', '@grpc/*', 'rxjs', 'fs', 'node:*', 'crypto', 'http', 'https', 'net', 'child_process',
  'os', 'process', 'worker_threads', 'timers', '@app/*',
];

export default tseslint.config(
  { ignores: ['dist/**', 'libs/*/dist/**', 'node_modules/**', 'data/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Not consistent-type-imports: Nest's DI reads constructor parameter types from decorator
      // metadata, which a type-only import erases.
      'no-restricted-imports': ['error', { patterns: [{ group: ['../../libs/*', '../../../libs/*', '**/libs/*/src/*'], message: 'Import libraries through their @app/<lib> alias.' }] }],
    },
  },
  {
    files: ['libs/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: impureModules, message: 'libs/domain is pure: no I/O, framework or other-library imports.' }] }],
      'no-restricted-globals': ['error',
        { name: 'process', message: 'libs/domain is pure: no process access.' },
        { name: 'setTimeout', message: 'libs/domain is pure: time is passed in.' },
        { name: 'setInterval', message: 'libs/domain is pure: time is passed in.' },
        { name: 'fetch', message: 'libs/domain is pure: no I/O.' },
        { name: 'require', message: 'libs/domain is pure: no dynamic loading.' },
      ],
      'no-restricted-syntax': ['error',
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'libs/domain is pure: pass time in.' },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'libs/domain is pure: pass time in.' },
        { selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']", message: 'libs/domain is pure: pass ids in.' },
        { selector: "MemberExpression[object.name='crypto']", message: 'libs/domain is pure: pass ids in.' },
        { selector: "CallExpression[callee.name='eval']", message: 'never eval.' },
        { selector: "NewExpression[callee.name='Function']", message: 'never build functions from strings.' },
      ],
    },
  },
  {
    // The web console: React's rules of hooks.
    files: ['apps/console/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  {
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', 'test/**/*.ts', 'bench/**/*.ts', 'libs/testing/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off', 'no-restricted-syntax': 'off', 'no-restricted-globals': 'off', 'no-restricted-imports': 'off' },
  },
);
