import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * `npm run dev -w web` (or the root `npm run dev`): hot reload, with `/graphql` proxied to the router at
 * GRAPH_ORIGIN (default http://127.0.0.1:4000), so the app calls the graph on its own origin as in production.
 */
const graphOrigin = process.env.GRAPH_ORIGIN ?? `http://127.0.0.1:${process.env.PORT ?? '4000'}`;

export default defineConfig({
  plugins: [react()],
  server: {
    host: '127.0.0.1',
    port: Number(process.env.WEB_DEV_PORT ?? 5173),
    strictPort: true,
    proxy: { '/graphql': { target: graphOrigin, changeOrigin: false } },
  },
  build: {
    outDir: process.env.WEB_BUILD_DIR ?? 'dist',
    emptyOutDir: true,
    // No inline scripts or styles: the router's CSP allows only files from its own origin.
    assetsInlineLimit: 0,
    sourcemap: false,
  },
});
