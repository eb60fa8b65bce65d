import { defineConfig } from 'vitest/config';
import { standaloneBackend } from './vite.config.js';

export default defineConfig({
  resolve: { alias: standaloneBackend },
  test: {
    include: ['src/**/*.test.ts'],
    // One real PostgreSQL server for the run; every test file gets a database of its own.
    globalSetup: ['src/test/globalSetup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
