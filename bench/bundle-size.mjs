// Bundle size: each entry's ESM output minified and gzipped with peers external, and a tree-shaken app bundle
// (core + one adapter + rxjs), next to rxjs alone as the baseline.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { runIfMain } from './report.mjs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const peers = [...Object.keys(pkg.peerDependencies ?? {}), 'ws', 'twilio-chat', '@twilio/conversations', 'jose'];

async function size(contents, external) {
  const result = await build({
    stdin: { contents, resolveDir: new URL('..', import.meta.url).pathname, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    define: { global: 'globalThis' },
    write: false,
    external,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].contents;
  return { min: code.length, gzip: gzipSync(code, { level: 9 }).length };
}

const kb = (bytes) => bytes / 1024;

/**
 * What a page downloads before `startChat` and in all: `contents` bundled with code splitting (a dynamic `import()`
 * becomes a chunk of its own), each output file minified and gzipped separately, as a browser fetches them. The first
 * load is the entry and the chunks it imports statically; the rest loads at `startChat`.
 */
async function firstLoad(contents, external) {
  const dir = mkdtempSync(join(tmpdir(), 'rx-bundle-'));
  try {
    const entry = join(dir, 'entry.js');
    writeFileSync(entry, contents.replaceAll("'./dist/", `'${new URL('../dist/', import.meta.url).pathname}`));
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      splitting: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      define: { global: 'globalThis' },
      outdir: join(dir, 'out'),
      write: false,
      metafile: true,
      external,
      logLevel: 'silent',
    });
    const gz = new Map(result.outputFiles.map((file) => [file.path, gzipSync(file.contents, { level: 9 }).length]));
    const outputs = result.metafile.outputs;
    const start = Object.keys(outputs).find((path) => outputs[path].entryPoint);
    const first = new Set();
    const visit = (path) => {
      if (first.has(path)) return;
      first.add(path);
      for (const imported of outputs[path].imports) if (imported.kind === 'import-statement' && outputs[imported.path]) visit(imported.path);
    };
    visit(start);
    // The metafile names outputs relative to the working directory, outputFiles by their absolute path.
    const sizeOf = (path) => {
      const bytes = gz.get(resolve(path));
      if (bytes === undefined) throw new Error(`bundle-size: esbuild returned no output file for ${path} of its metafile`);
      return bytes;
    };
    const js = Object.keys(outputs).filter((path) => path.endsWith('.js'));
    return { first: [...first].reduce((total, path) => total + sizeOf(path), 0), total: js.reduce((total, path) => total + sizeOf(path), 0), files: js.length };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run() {
  const rows = [];
  const entries = Object.keys(pkg.exports).filter((key) => key !== './package.json');
  for (const key of entries) {
    const file = `./dist/${key === '.' ? 'index' : key.slice(2)}.js`;
    if (!existsSync(new URL(`../${file}`, import.meta.url))) continue;
    if (key === './server' || key.startsWith('./simulator/')) continue; // Node-only: the server and the vendor simulators
    if (key === './lazy') continue; // one bundle would inline its import(): measured below as a first load
    const { gzip, min } = await size(`export * from '${file}';`, peers);
    rows.push({ what: `${key === '.' ? 'rx-service-desk' : `rx-service-desk/${key.slice(2)}`} (whole entry, peers external)`, value: kb(gzip), unit: 'KB gzip', extra: `${kb(min).toFixed(1)} KB min` });
  }
  const rxjs = await size(`import { Observable, Subject, merge, defer, timer, retry, catchError, map, filter } from 'rxjs'; console.log(Observable, Subject, merge, defer, timer, retry, catchError, map, filter);`, []);
  rows.push({ what: 'rxjs: the operators the core uses, alone', value: kb(rxjs.gzip), unit: 'KB gzip' });
  const core = await size(`import { createServiceDesk } from './dist/index.js'; console.log(createServiceDesk);`, peers);
  rows.push({ what: 'core alone (createServiceDesk), tree-shaken, rxjs external', value: kb(core.gzip), unit: 'KB gzip' });
  const sdks = { 'twilio-conversations': '@twilio/conversations', 'twilio-chat': 'twilio-chat' };
  const factories = { simulator: 'simulatedDesk', 'twilio-conversations': 'twilioConversations', 'twilio-chat': 'twilioChat', genesys: 'genesysWebMessaging', 'amazon-connect': 'amazonConnect' };
  for (const [adapter, factory] of Object.entries(factories)) {
    if (!existsSync(new URL(`../dist/${adapter}.js`, import.meta.url))) continue;
    const both = await size(`import { createServiceDesk } from './dist/index.js'; import * as a from './dist/${adapter}.js'; console.log(createServiceDesk, a);`, peers);
    const label = adapter === 'simulator' ? 'simulated desk' : adapter;
    const eager = await firstLoad(`import { createServiceDesk } from './dist/index.js'; import { ${factory} } from './dist/${adapter}.js'; console.log(createServiceDesk, ${factory});`, peers);
    // The page of the README's lazy config: the shell statically, the desk and the adapter through import().
    const lazy = await firstLoad(
      `import { lazyServiceDeskFactory } from './dist/lazy.js'; console.log(lazyServiceDeskFactory(() => import('./dist/${adapter}.js').then((m) => m.${factory}()), { name: 'desk' }));`,
      peers,
    );
    rows.push({
      what: `first load: rx-service-desk/lazy + ${label} adapter before startChat, rxjs and SDK external`,
      value: kb(lazy.first),
      unit: 'KB gzip',
      extra: `all ${lazy.files} files ${kb(lazy.total).toFixed(1)} KB gzip, against createServiceDesk + ${factory} imported statically: first load ${kb(eager.first).toFixed(1)} KB, all ${eager.files} files ${kb(eager.total).toFixed(1)} KB`,
      targetValue: 6,
      goal: true,
    });
    const row = { what: `core + ${label} adapter, one bundle, tree-shaken, rxjs and SDK external`, value: kb(both.gzip), unit: 'KB gzip' };
    const sdk = sdks[adapter];
    if (sdk) {
      // What the app ships anyway for this vendor: the SDK itself, bundled for the browser.
      const vendor = await size(`import { Client } from '${sdk}'; console.log(Client);`, []).catch(() => undefined);
      if (vendor) Object.assign(row, { baseline: kb(vendor.gzip), baselineName: `of ${sdk} itself` });
    }
    rows.push(row);
  }
  // A page that reaches the simulated desk over a WebSocket (the demo's chat page) needs no in-memory desk.
  const overSocket = (adapter) =>
    size(`import { createServiceDesk } from './dist/index.js'; import * as s from './dist/simulator.js'; console.log(createServiceDesk, s.${adapter});`, peers);
  const over = await overSocket("simulatedDeskOver(s.webSocketTransport('ws://desk'))");
  const withEngine = await overSocket("simulatedDesk({ transport: s.webSocketTransport('ws://desk') })");
  rows.push({
    what: 'core + simulated desk over a WebSocket (simulatedDeskOver), one bundle',
    value: kb(over.gzip),
    unit: 'KB gzip',
    baseline: kb(withEngine.gzip),
    baselineName: 'simulatedDesk({ transport }), which carries the in-memory desk',
  });
  const app = await size(
    `import { createServiceDesk } from './dist/index.js'; import { twilioConversations } from './dist/twilio-conversations.js'; console.log(createServiceDesk, twilioConversations);`,
    peers.filter((name) => name !== 'rxjs'),
  );
  rows.push({ what: 'app bundle: core + twilio-conversations adapter + rxjs, tree-shaken, SDK external', value: kb(app.gzip), unit: 'KB gzip', baseline: kb(rxjs.gzip), baselineName: 'rxjs alone' });
  return { name: 'Bundle size', note: 'ESM output bundled and minified with esbuild, gzip -9', rows };
}

await runIfMain(import.meta.url, run);
