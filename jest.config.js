/**
 * Tests that need a real MongoDB are named `*.db.test.ts`; test/support/run-tests.ts provisions a
 * mongod first and passes its URI in MONGODB_URI. See README "Tests".
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  testTimeout: 30000,
  // Two cores: keep mongod and the workers from starving each other.
  maxWorkers: 2,
};
