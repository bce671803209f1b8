// Packs the library, installs the tarball into an empty folder (with rxjs and the optional peers), and checks that
// every entry of the exports map loads with `import` and `require` and type-checks for ESM and CJS consumers.
// Usage: npm run check:pack
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const run = (command, args, cwd) => execFileSync(command, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, IBM_TELEMETRY_DISABLED: 'true' } }).toString();

run('npm', ['run', 'build', '--silent'], root);
const dir = mkdtempSync(join(tmpdir(), 'rx-service-desk-pack-'));
try {
  const tarball = run('npm', ['pack', '--silent', '--pack-destination', dir], root).trim().split('\n').pop();
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
  const peers = ['rxjs@^7.8', 'ws@^8', 'jose@^5', 'twilio-chat@^6', '@twilio/conversations@^3', 'amazon-connect-chatjs@^5', '@aws-sdk/client-connect@^3', 'typescript@5.9', '@types/node@20', '@types/ws@8'];
  run('npm', ['install', '--no-audit', '--no-fund', '--silent', join(dir, tarball), ...peers], dir);
  const entries = Object.keys(pkg.exports).filter((key) => key !== './package.json').map((key) => (key === '.' ? pkg.name : `${pkg.name}/${key.slice(2)}`));
  const esm = entries.map((name, i) => `import * as e${i} from '${name}';`).join('\n');
  writeFileSync(join(dir, 'esm.mjs'), `${esm}\nconsole.log([${entries.map((_, i) => `Object.keys(e${i}).length`).join(', ')}].join(' '));\n`);
  writeFileSync(join(dir, 'cjs.cjs'), `console.log([${entries.map((name) => `Object.keys(require('${name}')).length`).join(', ')}].join(' '));\n`);
  writeFileSync(join(dir, 'esm.mts'), `${esm}\nexport const all = [${entries.map((_, i) => `e${i}`).join(', ')}];\n`);
  writeFileSync(join(dir, 'cjs.cts'), `${entries.map((name, i) => `import e${i} = require('${name}');`).join('\n')}\nexport const all = [${entries.map((_, i) => `e${i}`).join(', ')}];\n`);
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', strict: true, noEmit: true, skipLibCheck: false, types: ['node'] }, files: ['esm.mts', 'cjs.cts'] }));
  const esmCounts = run('node', ['esm.mjs'], dir).trim();
  const cjsCounts = run('node', ['cjs.cjs'], dir).trim();
  run('npx', ['tsc', '-p', 'tsconfig.json'], dir);
  console.log(`${tarball}: ${entries.length} entries`);
  entries.forEach((name, i) => console.log(`  ${name}: import ${esmCounts.split(' ')[i]} exports, require ${cjsCounts.split(' ')[i]} exports`));
  console.log('  types: tsc --module nodenext, skipLibCheck false, ESM (.mts) and CJS (.cts) consumers: ok');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
