import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig } from 'vite';

// Workspace packages are bundled from their TypeScript sources (the `headway-src` export
// condition), so the dashboard builds without the other packages' dist folders.
export default defineConfig({
  plugins: [react()],
  // Relative asset URLs: the SPA uses hash routes, so it works under any mount path.
  base: './',
  resolve: { conditions: ['headway-src', ...defaultClientConditions] },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 400,
  },
});
