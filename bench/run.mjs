// npm run bench: builds nothing itself (run `npm run build` first; the bench script does), runs every benchmark,
// prints each figure next to its baseline from the same run, as a ratio, and ends with the goals of issue 14 as one
// table. `node bench/run.mjs per-event chat-cost` runs only those suites. BENCH_QUICK=1 runs small counts (for
// development on a shared machine; the figures are noisier); docs/performance.md lists the full counts.
import os from 'node:os';
import { fmt, printResult, verdict } from './report.mjs';

if (process.env.BENCH_QUICK === '1') {
  process.env.BENCH_CHAT_LENGTHS ??= '100,50000';
  process.env.BENCH_CHAT_RUNS ??= '1';
  process.env.BENCH_CHAT_WARMUP_CHATS ??= '1';
  process.env.BENCH_SESSIONS ??= '1000';
}

const only = process.argv.slice(2);
const suites = ['per-event', 'chat-cost', 'bundle-size', 'chat-length', 'churn', 'reconnect', 'middleware'].filter((name) => only.length === 0 || only.includes(name));

console.log(`rx-service-desk benchmarks: node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'} x${os.cpus().length}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, load average ${os.loadavg().map((load) => load.toFixed(1)).join(' ')}, ${new Date().toISOString()}${process.env.BENCH_QUICK === '1' ? ', QUICK counts' : ''}`);
let failed = 0;
const goals = [];
for (const name of suites) {
  const module = await import(`./${name}.mjs`);
  const result = await module.run();
  failed += printResult(result);
  goals.push(...result.rows.filter((row) => row.goal));
}

if (goals.length) {
  console.log('\n## Goals (issue 14)\n| Figure | Measured | Same-run baseline | Ratio | Goal | |\n|---|---|---|---|---|---|');
  for (const row of goals) {
    const { ratio, checks, met } = verdict(row);
    const goal = checks.map((check) => check.text).join(', ');
    const baseline = row.baseline !== undefined ? `${fmt(row.baseline)} ${row.unit} (${row.baselineName})` : '-';
    console.log(`| ${row.what} | ${fmt(row.value)} ${row.unit} | ${baseline} | ${ratio !== undefined ? `${ratio.toFixed(2)}x` : '-'} | ${goal} | ${met ? 'met' : 'MISSED'} |`);
  }
}
console.log(failed ? `\n${failed} figure(s) miss their target (see docs/performance.md).` : '\nEvery figure meets its target.');
