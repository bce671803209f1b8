// npm run bench: builds nothing itself (run `npm run build` first; the bench script does), runs every benchmark
// and prints each figure next to its baseline from the same run, as a ratio.
import os from 'node:os';
import { printResult } from './report.mjs';

const only = process.argv.slice(2);
const suites = ['per-event', 'churn', 'chat-length', 'bundle-size', 'reconnect', 'middleware'].filter((name) => only.length === 0 || only.includes(name));

console.log(`rx-service-desk benchmarks: node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'} x${os.cpus().length}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${new Date().toISOString()}`);
let failed = 0;
for (const name of suites) {
  let module;
  try {
    module = await import(`./${name}.mjs`);
  } catch (error) {
    if (error.code === 'ERR_MODULE_NOT_FOUND') continue;
    throw error;
  }
  const result = await module.run();
  failed += printResult(result);
}
console.log(failed ? `\n${failed} figure(s) miss their target (see docs/performance.md).` : '\nEvery figure meets its target.');
