// npm run bench: builds nothing itself (run `npm run build` first; the bench script does), runs every benchmark
// and prints each figure next to its baseline from the same run, as a ratio.
import os from 'node:os';

const only = process.argv.slice(2);
const suites = ['per-event', 'churn', 'bundle-size', 'reconnect'].filter((name) => only.length === 0 || only.includes(name));

const fmt = (value) => (value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2));

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
  console.log(`\n## ${result.name}\n${result.note}`);
  for (const row of result.rows) {
    // A row may carry a baseline (printed as a ratio), a targetRatio (against that baseline) and/or a targetValue.
    const ratio = row.baseline ? row.value / row.baseline : undefined;
    const checks = [];
    if (row.targetRatio !== undefined) checks.push({ ok: ratio <= row.targetRatio, text: `target <= ${row.targetRatio}x` });
    if (row.targetValue !== undefined) checks.push({ ok: row.value <= row.targetValue, text: `target <= ${row.targetValue} ${row.unit}` });
    const missed = checks.some((check) => !check.ok);
    if (missed) failed += 1;
    const ratioText = ratio !== undefined ? `  ${ratio.toFixed(2)}x ${row.baselineName ?? 'baseline'}` : '';
    const targetText = checks.length ? ` (${checks.map((check) => check.text).join(', ')})${missed ? '  [MISSES target]' : '  [meets target]'}` : '';
    console.log(`- ${row.what}: ${fmt(row.value)} ${row.unit}${row.extra ? `, ${row.extra}` : ''}${ratioText}${targetText}`);
  }
}
console.log(failed ? `\n${failed} figure(s) miss their target (see docs/performance.md).` : '\nEvery figure meets its target.');
