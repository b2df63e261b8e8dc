import { defineConfig } from 'vite';

// Built files go to dist/; the gateway serves them under /console/ (dist/index.html at /console/, and at / too
// when it serves no web app; dist/console-assets/* at /console/console-assets/*). Asset URLs are absolute
// (/console/...), so the page works at either address. `npm run dev` proxies the API to a running gateway.
const gateway = process.env.GATEWAY_URL || 'http://127.0.0.1:8080';

export default defineConfig({
  base: '/console/',
  build: { outDir: 'dist', assetsDir: 'console-assets', emptyOutDir: true, sourcemap: false },
  server: {
    port: 18700,
    proxy: Object.fromEntries(['/auth', '/rest', '/storage', '/api', '/slmgen', '/console/console-config.json']
      .map((p) => [p, { target: gateway, changeOrigin: false }])),
  },
});
