import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// `npm run dev` proxies the API and gateway to a local server (override with HEARTH_DEV_BACKEND).
const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env ?? {};
const backend = env['HEARTH_DEV_BACKEND'] ?? 'http://127.0.0.1:8080';
const mediaRoutes = ['/attachments', '/avatars', '/banners', '/icons', '/role-icons', '/emojis'];

export default defineConfig({
  plugins: [svelte()],
  // Component tests mount the browser build of Svelte.
  resolve: env['VITEST'] ? { conditions: ['browser'] } : {},
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Never inline assets as data: URLs; the CSP allows only 'self'.
    assetsInlineLimit: 0,
    // Lazy chunks bring their own CSS (loaded by a <link> when the chunk loads, which the CSP allows).
    cssCodeSplit: true,
  },
  server: {
    proxy: {
      '/api': { target: backend, changeOrigin: false },
      '/gateway': { target: backend, ws: true, changeOrigin: false },
      // Files and images are served by the backend on its own origin (path-absolute URLs in the API).
      ...Object.fromEntries(mediaRoutes.map((route) => [route, { target: backend, changeOrigin: false }])),
    },
  },
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts'],
  },
});
