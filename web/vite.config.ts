import { defineConfig } from 'vite';

// The playground: `vite build web` writes dist/playground (beside the compiled library, outside
// web/ so that web/ holds only sources), which `weightinit serve` serves.
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  build: { outDir: '../dist/playground', emptyOutDir: true, chunkSizeWarningLimit: 4096 },
});
