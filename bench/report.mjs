// Printing for benchmarks run on their own (`node bench/<name>.mjs`), in the same format as bench/run.mjs.
import { pathToFileURL } from 'node:url';

export const fmt = (value) => (value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2));

/**
 * A row's ratio to its baseline (`ratio` when the bench paired its rounds, else value / baseline) and its targets: a
 * `targetRatio` (against that baseline) and/or a `targetValue` (in the row's unit), each with whether it is met.
 */
export function verdict(row) {
  const ratio = row.ratio ?? (row.baseline ? row.value / row.baseline : undefined);
  const checks = [];
  if (row.targetRatio !== undefined) checks.push({ ok: ratio <= row.targetRatio, text: `<= ${row.targetRatio}x` });
  if (row.targetValue !== undefined) checks.push({ ok: row.value <= row.targetValue, text: `<= ${row.targetValue} ${row.unit}` });
  return { ratio, checks, met: checks.every((check) => check.ok) };
}

/**
 * Prints one benchmark result ({ name, note, rows }) and returns how many rows miss their target (see {@link verdict});
 * a baseline is printed as a ratio, named by `baselineName`.
 */
export function printResult(result) {
  let missed = 0;
  console.log(`\n## ${result.name}\n${result.note}`);
  for (const row of result.rows) {
    const { ratio, checks, met } = verdict(row);
    if (!met) missed += 1;
    const ratioText = ratio !== undefined ? `  ${ratio.toFixed(2)}x ${row.baselineName ?? 'baseline'}${row.baseline !== undefined && row.baseline !== row.value ? ` (${fmt(row.baseline)} ${row.unit})` : ''}` : '';
    const targetText = checks.length ? ` (${checks.map((check) => `target ${check.text}`).join(', ')})${met ? '  [meets target]' : '  [MISSES target]'}` : '';
    console.log(`- ${row.what}: ${fmt(row.value)} ${row.unit}${row.extra ? `, ${row.extra}` : ''}${ratioText}${targetText}`);
  }
  return missed;
}

/** Runs `run` and prints its result when `moduleUrl` is the script node was started with. */
export async function runIfMain(moduleUrl, run) {
  if (!process.argv[1] || pathToFileURL(process.argv[1]).href !== moduleUrl) return;
  printResult(await run());
}
