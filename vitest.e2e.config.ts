import { defineConfig } from 'vitest/config';

// End-to-end: the real `npm start` process on its embedded defaults, driven over HTTP.
export default defineConfig({
  test: {
    include: ['e2e-tests/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
