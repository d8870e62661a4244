import { defineConfig } from 'vite';

// The playground: `vite build web` writes web/dist, which `weightinit serve` serves.
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 4096 },
});
