/**
 * Tests that need a real MongoDB are named `*.db.test.ts`; test/support/run-tests.ts provisions a
 * mongod first and passes its URI in MONGODB_URI. See README "Tests".
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Transpile only (tsconfig has isolatedModules); `npm run typecheck` does the type checking.
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  testTimeout: 30000,
  // Two cores: keep mongod and the workers from starving each other.
  maxWorkers: 2,
};
