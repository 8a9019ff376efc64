import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Bundle tests spawn `node dist/...`; keep parallelism modest on 2-core runners.
    maxWorkers: 2,
  },
});
