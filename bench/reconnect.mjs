// Reconnect: how long after the socket comes back the user is told the connection is restored and the messages they
// typed while it was down are delivered, next to the backoff the core had to wait anyway. Genesys Web Messaging on
// the simulator over real sockets on 127.0.0.1, through createServiceDesk from dist/ (run `npm run build` first).
import { performance } from 'node:perf_hooks';
import { WebSocket } from 'ws';
import { createServiceDesk } from '../dist/index.js';
import { genesysWebMessaging, wsSocketFactory } from '../dist/genesys.js';
import { startGenesysSimulator } from '../dist/simulator/genesys.js';
import { runIfMain } from './report.mjs';
import { median } from './rounds.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const WARMUP = 2;
const TYPED = Number(process.env.BENCH_TYPED ?? 5);
const FLOOR_MS = Number(process.env.BENCH_BACKOFF_MS ?? 250);
const MARGIN_MS = 50;

/** Resolves with the first value `check` returns, polling every millisecond; rejects after `ms`. */
function until(check, what, ms = 5_000) {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const poll = () => {
      const value = check();
      if (value !== undefined && value !== false) return resolve(value);
      if (performance.now() - start > ms) return reject(new Error(`reconnect bench: no ${what} within ${ms} ms`));
      setTimeout(poll, 1);
    };
    poll();
  });
}

/** A Carbon-style host callback (each call returns a settled Promise) that timestamps setErrorStatus. */
function timedHost() {
  const errors = [];
  const callback = { persistedState: () => undefined, updatePersistedState: () => undefined };
  for (const method of ['updateAgentAvailability', 'agentJoined', 'agentReadMessages', 'agentTyping', 'sendMessageToUser', 'beginTransferToAnotherAgent', 'agentLeftChat', 'agentEndedChat', 'setFileUploadStatus', 'updateCapabilities']) {
    callback[method] = () => Promise.resolve();
  }
  callback.setErrorStatus = (info) => {
    errors.push({ at: performance.now(), info });
    return Promise.resolve();
  };
  return { callback, errors };
}

/** A logger that keeps the retry delays the core reports ("retry 1 of 5 in 250 ms"). */
function delayLogger() {
  const waited = [];
  const quiet = () => undefined;
  return {
    waited,
    logger: {
      debug: quiet,
      warn: quiet,
      error: (message, context) => console.error(message, context),
      info: (message) => {
        const match = / retry \d+ of \d+ in (\d+) ms/.exec(message);
        if (match) waited.push(Number(match[1]));
      },
    },
  };
}

async function once(sim, desk, host, log, index) {
  const errorsBefore = host.errors.length;
  const waitedBefore = log.waited.length;
  let back;
  const off = sim.on('connection', () => (back ??= performance.now()));
  const dropped = performance.now();
  sim.drop();
  const lost = await until(() => host.errors.slice(errorsBefore).find((entry) => entry.info.isDisconnected === true)?.at, 'DISCONNECTED');
  let flushed;
  const typed = Array.from({ length: TYPED }, (_, n) => desk.sendMessageToAgent({ input: { text: `typed while down ${index}.${n}` } }, `m-${index}-${n}`));
  const all = Promise.all(typed).then(() => (flushed = performance.now()));
  const cleared = await until(() => host.errors.slice(errorsBefore).find((entry) => entry.info.isDisconnected === false)?.at, 'DISCONNECTED cleared');
  await all;
  off();
  const accepted = sim.guestMessages.filter((message) => message.text.startsWith(`typed while down ${index}.`)).length;
  if (accepted !== TYPED) throw new Error(`reconnect bench: the simulator accepted ${accepted} of ${TYPED} messages typed while down`);
  const waited = log.waited.slice(waitedBefore);
  if (waited.length !== 1) throw new Error(`reconnect bench: expected one retry, the core reported ${JSON.stringify(waited)}`);
  const recovered = Math.max(cleared, flushed);
  return { floor: waited[0], notice: lost - dropped, back: back - dropped, cleared: cleared - back, flushed: flushed - back, total: recovered - dropped };
}

export async function run() {
  const sim = await startGenesysSimulator();
  const host = timedHost();
  const log = delayLogger();
  const adapter = genesysWebMessaging({
    deploymentId: sim.deploymentId,
    webSocketUrl: sim.url,
    apiUrl: sim.httpUrl,
    socketFactory: wsSocketFactory(WebSocket),
    summary: false,
  });
  const desk = createServiceDesk(adapter, { callback: host.callback }, {
    logger: log.logger,
    retry: { initialDelayMs: FLOOR_MS, maxDelayMs: 10_000, factor: 2, jitter: 0, maxRetries: 5 },
    // The host's own DISCONNECTED status instead of the library's notice lines: the moments this bench times.
    texts: { connectionLost: '' },
  });
  try {
    await desk.startChat({ output: { generic: [{ response_type: 'connect_to_agent', message_to_human_agent: 'bench' }] } });
    sim.join('Ann', undefined, 'Hi');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const samples = [];
    for (let index = 0; index < WARMUP + RUNS; index += 1) {
      const sample = await once(sim, desk, host, log, index);
      if (index >= WARMUP) samples.push(sample);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const pick = (key) => median(samples.map((sample) => sample[key]));
    const floor = pick('floor');
    return {
      name: 'Reconnect (Genesys Web Messaging, simulator over real sockets)',
      note:
        `The server drops the socket; the user types ${TYPED} messages while it is down. Measured: from the drop, from the socket ` +
        `coming back (the server sees the new connection) to DISCONNECTED cleared (setErrorStatus({ type: 2, isDisconnected: false })) ` +
        `and to every typed message acknowledged (echoed by the server). Baseline: the backoff floor, i.e. the retry delay the core ` +
        `reports it waited (initialDelayMs ${FLOOR_MS}, no jitter). Median of ${RUNS} runs after ${WARMUP} warm-up runs.`,
      rows: [
        { what: 'backoff floor: the retry delay the core waited', value: floor, unit: 'ms' },
        { what: 'drop -> DISCONNECTED shown (the client noticed)', value: pick('notice'), unit: 'ms' },
        { what: 'drop -> socket back (the server sees the new connection)', value: pick('back'), unit: 'ms', baseline: floor },
        { what: 'socket back -> DISCONNECTED cleared', value: pick('cleared'), unit: 'ms' },
        { what: `socket back -> queue flushed (${TYPED} messages typed while down acknowledged)`, value: pick('flushed'), unit: 'ms' },
        {
          what: 'drop -> DISCONNECTED cleared and queue flushed',
          value: pick('total'),
          unit: 'ms',
          baseline: floor,
          baselineName: 'the backoff floor',
          targetValue: floor + MARGIN_MS,
        },
      ],
    };
  } finally {
    await desk.endChat();
    await sim.close();
  }
}

await runIfMain(import.meta.url, run);
