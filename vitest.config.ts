import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // A PostgreSQL server for the PostgreSQL half, or a clear note that it is skipped.
    globalSetup: ['test/helpers/postgres-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // On a loaded 2-core machine, files in parallel starve vitest's own messages ("Timeout calling
    // onTaskUpdate") and fail a green run; CI runs the files one after another.
    fileParallelism: process.env.CI !== 'true',
  },
});
