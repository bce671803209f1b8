// Builds the browser demo with esbuild into demo/dist/: the bundles of the chat pages (Carbon AI Chat 1.x and 0.3.3) and
// the agent console (with their CSS and the IBM Plex fonts) under demo/dist/assets/, and the Node server as
// demo/dist/server.mjs. Takes about a second.
// Run alone with `npm run build:demo`; `npm start` runs it first.
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
export const outdir = fileURLToPath(new URL('../demo/dist/', import.meta.url));

/** Builds everything the demo serves. */
export async function buildDemo({ minify = true } = {}) {
  await rm(outdir, { recursive: true, force: true });
  const common = { absWorkingDir: root, bundle: true, logLevel: 'warning', legalComments: 'none' };
  await Promise.all([
    build({
      ...common,
      entryPoints: {
        chat: 'demo/chat/main.ts',
        // The same hand-over in Carbon AI Chat 0.3.3 (`/carbon0`), the watsonx dialect's real widget.
        carbon0: 'demo/chat/carbon0.ts',
        console: 'demo/console/main.ts',
        'chat-style': 'demo/styles/chat.css',
        'console-style': 'demo/styles/console.css',
      },
      outdir: `${outdir}assets`,
      entryNames: '[name]',
      chunkNames: 'chunks/[name]-[hash]',
      assetNames: 'fonts/[name]-[hash]',
      // Carbon AI Chat loads its heavier parts (code highlighting, tables, media players, locales) on demand.
      splitting: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      minify,
      sourcemap: 'linked',
      define: { 'process.env.NODE_ENV': JSON.stringify(minify ? 'production' : 'development') },
      loader: { '.woff2': 'file', '.woff': 'file' },
    }),
    build({
      ...common,
      entryPoints: ['demo/server/main.ts'],
      outfile: `${outdir}server.mjs`,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      packages: 'external',
      sourcemap: 'inline',
    }),
  ]);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  await buildDemo({ minify: !process.argv.includes('--dev') });
  process.stdout.write(`demo built in ${Date.now() - started} ms: ${outdir}\n`);
}
