import { defineConfig } from 'vitest/config';

// End-to-end: the real `npm start` process on its embedded defaults, driven over HTTP and, for the
// web app, in Chromium (e2e-tests/browser.ts).
export default defineConfig({
  test: {
    include: ['e2e-tests/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
