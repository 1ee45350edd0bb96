import path from 'node:path';
import { defineConfig } from 'vite';

// The console's production build (npm run build): one hashed bundle under dist/console, served by
// the orchestrator at `/`. Nothing is loaded from elsewhere at run time.
export default defineConfig({
  root: __dirname,
  base: '/',
  logLevel: 'warn',
  resolve: { alias: { '@app/domain': path.resolve(__dirname, '../../libs/domain/src') } },
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: path.resolve(__dirname, '../../dist/console'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 1_000,
    assetsInlineLimit: 0,
  },
});
