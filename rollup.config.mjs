// Builds every entry as ESM (.js) and CJS (.cjs), with declarations for both (.d.ts and .d.cts).
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import typescript from '@rollup/plugin-typescript';

/** Entry name -> source. The `exports` map of package.json lists the same names. */
export const entries = {
  index: 'lib/index.ts',
  lazy: 'lib/lazy/index.ts',
  testing: 'lib/testing/index.ts',
  'testing/twilio': 'lib/testing/twilio/index.ts',
  'testing/genesys': 'lib/testing/genesys/index.ts',
  'testing/amazon-connect': 'lib/testing/amazon-connect/index.ts',
  simulator: 'lib/simulator/index.ts',
  genesys: 'lib/adapters/genesys/index.ts',
  'simulator/genesys': 'lib/simulator/genesys/index.ts',
  'amazon-connect': 'lib/adapters/amazon-connect/index.ts',
  'simulator/amazon-connect': 'lib/simulator/amazon-connect/index.ts',
  server: 'lib/server/index.ts',
  client: 'lib/client/index.ts',
  'twilio-chat': 'lib/adapters/twilio-chat/index.ts',
  'twilio-conversations': 'lib/adapters/twilio-conversations/index.ts',
};

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const external = [
  ...Object.keys(pkg.peerDependencies ?? {}),
  ...Object.keys(pkg.dependencies ?? {}),
].map((name) => new RegExp(`^${name}(/.*)?$`));

/** After every output is written (outputs are written in parallel), copies dist/types/**\/*.d.ts to .d.cts with `.js` imports rewritten to `.cjs`, for `require` consumers. */
function ctsDeclarations() {
  const walk = (dir) =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? walk(path) : path.endsWith('.d.ts') ? [path] : [];
    });
  return {
    name: 'cts-declarations',
    closeBundle() {
      for (const file of walk('dist/types')) {
        const source = readFileSync(file, 'utf8').replace(/(from\s+'\.{1,2}\/[^']*)\.js'/g, "$1.cjs'");
        writeFileSync(file.replace(/\.d\.ts$/, '.d.cts'), source);
      }
    },
  };
}

export default {
  input: entries,
  external: (id) => id.startsWith('node:') || external.some((pattern) => pattern.test(id)),
  plugins: [typescript({ tsconfig: './tsconfig.build.json' }), ctsDeclarations()],
  output: [
    { dir: 'dist', format: 'es', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js', sourcemap: true },
    { dir: 'dist', format: 'cjs', entryFileNames: '[name].cjs', chunkFileNames: 'chunks/[name]-[hash].cjs', sourcemap: true, exports: 'named' },
  ],
};
