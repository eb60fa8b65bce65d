import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { recordBuildInputs } from './src/server/clientBuild.js';

// The React pages: built to dist/client (by `npm start` when src/client changed, or `npm run build:client`).
export default defineConfig({
  root: fileURLToPath(new URL('./src/client', import.meta.url)),
  build: {
    outDir: fileURLToPath(new URL('./dist/client', import.meta.url)),
    emptyOutDir: true,
  },
  plugins: [recordBuildInputs()],
});
