// Paired rounds, one process per variant: how per-event and chat-cost measure the library next to a baseline (the
// other benches measure on their own). A variant runs in a fresh `node` (child_process.fork), so variants never share
// JIT feedback, inline caches or a heap; a round runs every variant once, back to back (the order rotated each round),
// so a ratio compares measurements taken at nearly the same moment on a shared machine. cpuMicros and cpuMicrosAsync
// time the measured loop in CPU time (process.cpuUsage: user + system); chat-cost's load rows (event-loop delay, the
// time until every send is acknowledged) are wall time.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const VARIANT_FLAG = '--bench-variant';

/** The variant this process was forked to run, or undefined in the parent. */
export function childVariant() {
  const at = process.argv.indexOf(VARIANT_FLAG);
  return at === -1 ? undefined : process.argv[at + 1];
}

/**
 * In a forked child: runs `variants[name]()` (which resolves to a JSON-able result), sends it to the parent and exits.
 * Returns false in the parent, so a bench module calls `if (await serveVariant(VARIANTS)) ...` at its top level.
 */
export async function serveVariant(variants) {
  const name = childVariant();
  if (name === undefined) return false;
  const variant = variants[name];
  if (!variant) throw new Error(`bench: no variant "${name}"`);
  const result = await variant();
  await new Promise((resolve) => process.send(result, resolve));
  process.exit(0);
}

/** Runs one variant of `moduleUrl` in a fresh node process and resolves to what it sent. */
export function inChild(moduleUrl, name, execArgv = []) {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(moduleUrl), [VARIANT_FLAG, name], { execArgv: ['--expose-gc', ...execArgv], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let result;
    child.on('message', (message) => (result = message));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 && result !== undefined ? resolve(result) : reject(new Error(`bench variant ${name} exited with ${code}`))));
  });
}

/**
 * `rounds` paired rounds of every variant, each in its own process; `pick(result)` reads the figure. Resolves to
 * { [variant]: number[] } (one figure per round, in round order, so figures of one round can be paired).
 */
export async function pairedRounds(moduleUrl, names, rounds, pick = (result) => result) {
  const figures = Object.fromEntries(names.map((name) => [name, []]));
  for (let round = 0; round < rounds; round += 1) {
    const order = names.map((_, i) => names[(i + round) % names.length]);
    for (const name of order) figures[name].push(pick(await inChild(moduleUrl, name)));
  }
  return figures;
}

export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const fmt = (value) => (Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 10 ? value.toFixed(1) : value.toFixed(2));

/** "min-max" of a list of figures. */
export const spread = (values) => `${fmt(Math.min(...values))}-${fmt(Math.max(...values))}`;

/**
 * A report row for `value` (figures per round) against `baseline` (same rounds): the median value, the median of the
 * per-round ratios, and both spreads.
 */
export function pairedRow(what, unit, value, baseline, baselineName, extra = {}) {
  const ratios = value.map((v, i) => v / baseline[i]);
  return {
    what,
    unit,
    value: median(value),
    baseline: median(baseline),
    baselineName,
    ratio: median(ratios),
    extra: `min-max ${spread(value)} ${unit}, ratio ${spread(ratios)}x over ${value.length} rounds`,
    ...extra,
  };
}

/** CPU time (user + system) of `fn()` in microseconds. */
export function cpuMicros(fn) {
  const start = process.cpuUsage();
  fn();
  const used = process.cpuUsage(start);
  return used.user + used.system;
}

/** CPU time of an async `fn()` in microseconds (the process does nothing else meanwhile). */
export async function cpuMicrosAsync(fn) {
  const start = process.cpuUsage();
  await fn();
  const used = process.cpuUsage(start);
  return used.user + used.system;
}

/**
 * A host that keeps what it is given (a real host renders it), so V8 cannot prove the message dead and skip building
 * it: the last 1,024 arguments stay reachable.
 */
export function keepingHost() {
  const kept = new Array(1024);
  let calls = 0;
  const keep = (value) => {
    kept[calls++ & 1023] = value;
  };
  const callback = {};
  for (const method of ['updateAgentAvailability', 'agentJoined', 'agentReadMessages', 'agentTyping', 'sendMessageToUser', 'beginTransferToAnotherAgent', 'agentLeftChat', 'agentEndedChat', 'setErrorStatus', 'setFileUploadStatus', 'updateCapabilities']) {
    callback[method] = keep;
  }
  return { callback, calls: () => calls, kept };
}
