// Bundle size: each entry's ESM output minified and gzipped with peers external, and a tree-shaken app bundle
// (core + one adapter + rxjs), next to rxjs alone as the baseline.
import { existsSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const peers = [...Object.keys(pkg.peerDependencies ?? {}), 'ws', 'twilio-chat', '@twilio/conversations', 'jose'];

async function size(contents, external) {
  const result = await build({
    stdin: { contents, resolveDir: new URL('..', import.meta.url).pathname, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    external,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].contents;
  return { min: code.length, gzip: gzipSync(code, { level: 9 }).length };
}

const kb = (bytes) => bytes / 1024;

export async function run() {
  const rows = [];
  const entries = Object.keys(pkg.exports).filter((key) => key !== './package.json');
  for (const key of entries) {
    const file = `./dist/${key === '.' ? 'index' : key.slice(2)}.js`;
    if (!existsSync(new URL(`../${file}`, import.meta.url))) continue;
    if (key === './server' || key.endsWith('/genesys') && key.startsWith('./simulator')) continue; // Node-only
    const { gzip, min } = await size(`export * from '${file}';`, peers);
    rows.push({ what: `${key === '.' ? 'rx-service-desk' : `rx-service-desk/${key.slice(2)}`} (whole entry, peers external)`, value: kb(gzip), unit: 'KB gzip', extra: `${kb(min).toFixed(1)} KB min` });
  }
  const rxjs = await size(`import { Observable, Subject, merge, defer, timer, retry, catchError, map, filter } from 'rxjs'; console.log(Observable, Subject, merge, defer, timer, retry, catchError, map, filter);`, []);
  rows.push({ what: 'baseline: the rxjs operators the core uses, alone', value: kb(rxjs.gzip), unit: 'KB gzip' });
  const coreAndAdapter = await size(
    `import { createServiceDesk } from './dist/index.js'; import { simulatedDesk } from './dist/simulator.js'; console.log(createServiceDesk, simulatedDesk);`,
    peers,
  );
  rows.push({ what: 'core + simulated desk adapter, tree-shaken, rxjs external', value: kb(coreAndAdapter.gzip), unit: 'KB gzip', target: 8, baseline: 1 });
  const app = await size(
    `import { createServiceDesk } from './dist/index.js'; import { simulatedDesk } from './dist/simulator.js'; console.log(createServiceDesk, simulatedDesk);`,
    peers.filter((name) => name !== 'rxjs'),
  );
  rows.push({ what: 'app bundle: core + simulated desk + rxjs, tree-shaken', value: kb(app.gzip), unit: 'KB gzip', baseline: kb(rxjs.gzip) });
  for (const adapter of ['twilio-conversations', 'twilio-chat', 'genesys']) {
    if (!existsSync(new URL(`../dist/${adapter}.js`, import.meta.url))) continue;
    const both = await size(`import { createServiceDesk } from './dist/index.js'; import * as a from './dist/${adapter}.js'; console.log(createServiceDesk, a);`, peers);
    rows.push({ what: `core + ${adapter} adapter, tree-shaken, rxjs external`, value: kb(both.gzip), unit: 'KB gzip', target: 8, baseline: 1 });
  }
  return { name: 'Bundle size', note: 'esbuild --minify, gzip -9; "target" rows compare against 8 KB', rows };
}
