// The survey pages (resident form, fieldwork monitor, expert AHP panel): one single-page app served by the
// fieldwork server under /survey/. Built by `npm run build:survey-web` into web-survey/dist; no CDN.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/survey/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 2000 },
  logLevel: 'warn',
});
