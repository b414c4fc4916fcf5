// Every test runs in a time zone that is not UTC (UTC−03:30 / −02:30 with DST), so that code
// reading AWS's zone-less UTC timestamps as local time fails the tests.
process.env.TZ = 'America/St_Johns';

const base = require('./.config/jest.config');
const { grafanaESModules, nodeModulesToTransform } = require('./.config/jest/utils');

// d3-color 3.1.1 (through @grafana/data) ships only .mjs files: compile them like the rest.
const transform = {
  ...base.transform,
  '^.+\\.mjs$': base.transform['^.+\\.(t|j)sx?$'],
};

// @grafana/plugin-ui's CommonJS entry requires @marcbachmann/cel-js, which ships ES modules only:
// compile it like Grafana's own ES-only packages.
const transformIgnorePatterns = [nodeModulesToTransform([...grafanaESModules, '@marcbachmann/cel-js'])];

module.exports = {
  // Global (jest reads it at the top level, not per project). A safety net for a busy machine: tests
  // must not depend on its speed, yet rendering Grafana's components in jsdom can take seconds there.
  testTimeout: 60_000,
  projects: [
    {
      // The parsing core and the worker's code must run without a DOM (Node, Web Workers): test them in plain Node.
      ...base,
      transform,
      transformIgnorePatterns,
      displayName: 'parsing and worker (node)',
      testEnvironment: 'node',
      setupFilesAfterEnv: [],
      testMatch: ['<rootDir>/src/parsing/**/*.test.ts', '<rootDir>/src/worker/**/*.test.ts'],
    },
    {
      ...base,
      transform,
      transformIgnorePatterns,
      displayName: 'plugin (jsdom)',
      testMatch: ['<rootDir>/src/**/*.test.{ts,tsx}'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/src/parsing/', '<rootDir>/src/worker/'],
    },
  ],
};
