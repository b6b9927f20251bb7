import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// The browser app, built to web/dist and served by the leadrouter server at `/`.
// `@core` is the server's pure domain logic (src/core), shared so that the SLA countdown
// counts business hours exactly as the server's SLA clock does.
export default defineConfig({
  root: here('.'),
  plugins: [react()],
  resolve: { alias: { '@core': here('../src/core'), '@': here('./src') } },
  build: {
    outDir: here('./dist'),
    emptyOutDir: true,
    // Every hashed file lives under /assets/ and is cached for a year by the server.
    assetsDir: 'assets',
    chunkSizeWarningLimit: 1200,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000', '/docs': 'http://127.0.0.1:3000', '/health': 'http://127.0.0.1:3000' } },
});
