import { defineConfig } from 'vite';

// Built files go to dist/; the gateway serves dist/index.html at "/" and dist/console-assets/* at
// "/console-assets/*" (a prefix no service route uses). `npm run dev` proxies the API to a running gateway.
const gateway = process.env.GATEWAY_URL || 'http://127.0.0.1:8080';

export default defineConfig({
  base: '/',
  build: { outDir: 'dist', assetsDir: 'console-assets', emptyOutDir: true, sourcemap: false },
  server: {
    port: 18700,
    proxy: Object.fromEntries(['/auth', '/rest', '/storage', '/api', '/console-config.json']
      .map((p) => [p, { target: gateway, changeOrigin: false }])),
  },
});
