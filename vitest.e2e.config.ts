import { defineConfig } from 'vitest/config';

// Browser end-to-end tests: one Chromium, one file at a time (the machine has two cores).
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
  },
});
