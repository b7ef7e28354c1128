/**
 * `npm test` (test/support/run-tests.ts) runs every suite on the default backend: SQLite temp
 * files, nothing to install or start. Suites named `*.mongo.test.ts` need a real MongoDB and run
 * only under `npm run test:mongo`, which provisions one and sets MONGODB_URI; run directly with
 * jest, they are left out unless MONGODB_URI is set. See README "Tests".
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', ...(process.env.MONGODB_URI ? [] : ['\\.mongo\\.test\\.ts$'])],
  // Transpile only (tsconfig has isolatedModules); `npm run typecheck` does the type checking.
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  testTimeout: 30000,
  // This machine and CI have two cores; the terminal e2e suites start tsx subprocesses.
  maxWorkers: 2,
};
