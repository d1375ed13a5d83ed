// Jest runs the JS API tests against the built package (dist/), through its CommonJS entry.
module.exports = {
  testEnvironment: 'node',
  testMatch: ['<rootDir>/tests/js/**/*.test.cjs', '<rootDir>/tests/browser/**/*.test.cjs'],
  testTimeout: 120000,
  maxWorkers: 2,
};
