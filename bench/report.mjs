// Printing for benchmarks run on their own (`node bench/<name>.mjs`), in the same format as bench/run.mjs.
import { pathToFileURL } from 'node:url';

const fmt = (value) => (value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2));

/** Prints one benchmark result ({ name, note, rows }) like bench/run.mjs does; returns how many rows miss their target. */
export function printResult(result) {
  let missed = 0;
  console.log(`\n## ${result.name}\n${result.note}`);
  for (const row of result.rows) {
    const ratio = row.baseline ? row.value / row.baseline : undefined;
    const verdict = row.target === undefined ? '' : (row.baseline === 1 ? row.value : ratio) <= row.target ? '  [meets target]' : '  [MISSES target]';
    if (verdict.includes('MISSES')) missed += 1;
    const ratioText = ratio !== undefined && row.baseline !== 1 ? `  ${ratio.toFixed(2)}x baseline` : '';
    const target = row.target === undefined ? '' : row.baseline === 1 ? ` (target <= ${row.target} ${row.unit})` : ` (target <= ${row.target}x)`;
    console.log(`- ${row.what}: ${fmt(row.value)} ${row.unit}${row.extra ? `, ${row.extra}` : ''}${ratioText}${target}${verdict}`);
  }
  return missed;
}

/** Runs `run` and prints its result when `moduleUrl` is the script node was started with. */
export async function runIfMain(moduleUrl, run) {
  if (!process.argv[1] || pathToFileURL(process.argv[1]).href !== moduleUrl) return;
  printResult(await run());
}
