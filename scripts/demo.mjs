// `npm start`: builds the browser demo (scripts/build-demo.mjs) and serves it on 127.0.0.1 until Ctrl-C.
// Options: --port N (or PORT), --vendor NAME (or DEMO_VENDOR), --no-build (serve the last build).
import { fileURLToPath } from 'node:url';
import { buildDemo, outdir } from './build-demo.mjs';

const argv = process.argv.slice(2);
if (!argv.includes('--no-build') && !argv.includes('--help')) await buildDemo();

const { runDemo } = await import(new URL('../demo/dist/server.mjs', import.meta.url).href);
process.exitCode = await runDemo({
  argv: argv.filter((arg) => arg !== '--no-build'),
  env: process.env,
  publicDir: fileURLToPath(new URL('../demo/public/', import.meta.url)),
  assetsDir: `${outdir}assets`,
});
