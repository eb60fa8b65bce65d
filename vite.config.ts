import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { backendAlias } from './src/client/backend/alias.js';
import { recordBuildInputs } from './src/server/clientBuild.js';

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

// The pages' backend is the standalone server's HTTP API (src/client/api.ts); a Wasp build picks src/wasp/adapters/client.
export const standaloneBackend = backendAlias({ api: here('./src/client/api.ts'), accounts: here('./src/client/api.ts') });

// The React pages: built to dist/client (by `npm start` when src/client changed, or `npm run build:client`).
export default defineConfig({
  root: here('./src/client'),
  resolve: { alias: standaloneBackend },
  build: {
    outDir: here('./dist/client'),
    emptyOutDir: true,
  },
  plugins: [recordBuildInputs()],
});
