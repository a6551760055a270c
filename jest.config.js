// Lambda code imports @kubernetes/client-node, which is ESM-only: tests run as ES modules
// (npm test sets NODE_OPTIONS=--experimental-vm-modules) and ts-jest only transpiles (tsc checks types).
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true }] },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  testTimeout: 30000,
};
