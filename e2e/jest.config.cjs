/**
 * Browser end-to-end tests of the demo (`npm run test:e2e`): headless Debian Chromium driven by playwright-core.
 * Not part of `npm test`, which must pass on a machine without Chromium.
 * @type {import('jest').Config}
 */
module.exports = {
  rootDir: '..',
  roots: ['<rootDir>/e2e'],
  testMatch: ['**/*.e2e.ts'],
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: { module: 'commonjs', moduleResolution: 'node', isolatedModules: true, esModuleInterop: true } }],
  },
  // One browser and one demo server per file; files run one after the other (2 cores).
  maxWorkers: 1,
  testTimeout: 120_000,
};
