import { defineConfig } from 'vitest/config';

// Three tiers: `unit` (services, migrations, contract, CLI, AWS mocks: plain
// Node against real SQLite files in temp folders), `fault` (every response
// plan against the stateful AWS model in test/aws-model, with a fault injected
// at each step and the runner killed at each step boundary) and `e2e` (the
// built renderer in Debian's Chromium against the real services over the
// loopback transport).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'fault',
          include: ['test/fault/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
