import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** Where the server listens in development (`pnpm start`); override with SYSPAT_SERVER. */
const server = process.env.SYSPAT_SERVER ?? 'http://localhost:8080';

/**
 * Our packages are pure (design.md), but do work at module load (the zod schema of
 * @syspat/model, the remark processor of @syspat/markdown). Declaring them free of side effects
 * lets the bundler drop what the browser does not use and keep the markdown parser in its own
 * chunk, loaded only when someone imports a file into an open document.
 */
const packagesDir = fileURLToPath(new URL('../../packages/', import.meta.url));
const isSideEffectFree = (id: string): boolean =>
  id.startsWith(packagesDir) && /\/src\/[^/]+\.ts$/.test(id);

export default defineConfig({
  plugins: [react()],
  server: {
    port: 5173,
    proxy: {
      '/api': { target: server, changeOrigin: true },
      '/collab': { target: server.replace(/^http/, 'ws'), ws: true, changeOrigin: true },
    },
  },
  preview: {
    proxy: {
      '/api': { target: server, changeOrigin: true },
      '/collab': { target: server.replace(/^http/, 'ws'), ws: true, changeOrigin: true },
    },
  },
  build: {
    target: 'es2022',
    sourcemap: true,
    manifest: true,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      treeshake: {
        moduleSideEffects: (id) => !isSideEffectFree(id),
      },
    },
  },
});
