// What a chat costs apart from its agent events: a user message sent, the heap an open chat holds, and many open
// chats under load (event-loop delay). Each figure next to an imperative integration doing the same, each variant in
// its own process, paired rounds (bench/rounds.mjs). The vendor is bench/bench-desk.mjs (answers sends at once).
import { EventEmitter } from 'node:events';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { createAdapter, createServiceDesk, silentLogger } from '../dist/index.js';
import { CONNECT, ME, benchPort } from './bench-desk.mjs';
import { runIfMain } from './report.mjs';
import { cpuMicrosAsync, keepingHost, median, pairedRounds, pairedRow, serveVariant } from './rounds.mjs';

const QUICK = process.env.BENCH_QUICK === '1';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? (QUICK ? 3 : 5));
const SENDS = Number(process.env.BENCH_SENDS ?? (QUICK ? 5_000 : 20_000));
const HEAP_CHATS = Number(process.env.BENCH_HEAP_CHATS ?? (QUICK ? 500 : 2_000));
const LOAD_CHATS = Number(process.env.BENCH_LOAD_CHATS ?? 10_000);
const LOAD_RATE = 3_000;
const LOAD_SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? (QUICK ? 2 : 10));
const SEND_TIMEOUT_MS = 15_000;
const COLD_SENDS = 2_000;
const WARM_CHATS = Number(process.env.BENCH_WARM_CHATS ?? 10);

// --- the chats ---------------------------------------------------------------------------------------------------------

/** rx-service-desk: createServiceDesk on the bench port through the engine; an agent joined. */
async function libraryChat(channel, callback) {
  const desk = createServiceDesk(createAdapter(benchPort(channel), { queuePollMs: 0 }), { callback }, { logger: silentLogger });
  await desk.startChat(CONNECT);
  channel.emit('memberJoined', { identity: 'ann', friendlyName: 'Ann' });
  return {
    send: (i) => desk.sendMessageToAgent({ input: { text: `question ${i}` } }, `u${i}`),
    close: () => desk.endChat(),
  };
}

/**
 * The imperative integration: listeners call the callback; sends are ordered (each waits for the one before) and
 * timed out, as a careful hand-written integration does.
 */
async function imperativeChat(channel, callback) {
  channel.on('memberJoined', (member) => callback.agentJoined({ id: member.identity, nickname: member.friendlyName }));
  channel.on('messageAdded', (message) => {
    if (message.author !== ME) callback.sendMessageToUser({ id: message.sid, output: { generic: [{ response_type: 'text', text: message.body }] } }, message.author);
  });
  channel.on('typingStarted', () => callback.agentTyping(true));
  channel.on('typingEnded', () => callback.agentTyping(false));
  channel.emit('memberJoined', { identity: 'ann', friendlyName: 'Ann' });
  const vendorSend = () => Promise.resolve(true);
  let last = Promise.resolve();
  const sendOne = (text) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no answer')), SEND_TIMEOUT_MS);
      vendorSend(text).then(
        () => (clearTimeout(timer), resolve()),
        (error) => (clearTimeout(timer), reject(error)),
      );
    });
  return {
    send: (i) => (last = last.then(() => sendOne(`question ${i}`))),
    close: async () => channel.removeAllListeners(),
  };
}

// --- the measurements (in the child) -----------------------------------------------------------------------------------

/** CPU us per send of `count` user messages in one new chat, each awaited. */
async function sendsInOneChat(open, count) {
  const chat = await open(new EventEmitter(), keepingHost().callback);
  const us = await cpuMicrosAsync(async () => {
    for (let i = 0; i < count; i += 1) await chat.send(i);
  });
  await chat.close();
  return us / count;
}

/**
 * CPU us per user message sent and awaited, one after another. `cold`: the first chat of a fresh process
 * (COLD_SENDS sends, the JIT still warming up, as on a page where a user sends a few messages); `steady`: the median of
 * three chats of SENDS sends after WARM_CHATS warm-up chats of COLD_SENDS (the library's longer path takes 10,000 to
 * 20,000 sends to be optimised: one 2,000-send warm-up left the first timed chat at 2-3x its steady cost).
 */
async function perSend(open) {
  const cold = await sendsInOneChat(open, COLD_SENDS);
  for (let i = 1; i < WARM_CHATS; i += 1) await sendsInOneChat(open, COLD_SENDS);
  const steady = [];
  for (let i = 0; i < 3; i += 1) steady.push(await sendsInOneChat(open, SENDS));
  return { cold, steady: median(steady) };
}

/** Heap (after GC) one open chat holds, an agent joined and one message shown, in KB, over HEAP_CHATS chats. */
async function heapPerChat(open) {
  const warm = await open(new EventEmitter(), keepingHost().callback);
  await warm.close();
  const host = keepingHost();
  global.gc();
  global.gc();
  const before = process.memoryUsage().heapUsed;
  const chats = [];
  for (let i = 0; i < HEAP_CHATS; i += 1) {
    const channel = new EventEmitter();
    chats.push(await open(channel, host.callback));
    channel.emit('messageAdded', { sid: `IM${i}`, index: 0, author: 'ann', friendlyName: 'Ann', body: 'Hello' });
  }
  global.gc();
  global.gc();
  const kb = (process.memoryUsage().heapUsed - before) / 1024 / HEAP_CHATS;
  for (const chat of chats) await chat.close();
  return kb;
}

/**
 * LOAD_CHATS open chats; agents send LOAD_RATE messages per second spread over them (a burst every 10 ms) for
 * LOAD_SECONDS; the event loop's delay p99 in ms (monitorEventLoopDelay, 1 ms resolution). Then every chat's user
 * sends one message at once: the wall time until all are acknowledged.
 */
async function underLoad(open) {
  const host = keepingHost();
  const channels = [];
  const chats = [];
  for (let i = 0; i < LOAD_CHATS; i += 1) {
    const channel = new EventEmitter();
    channels.push(channel);
    chats.push(await open(channel, host.callback));
  }
  const perTick = LOAD_RATE / 100;
  let sent = 0;
  const burst = () => {
    for (let i = 0; i < perTick; i += 1, sent += 1) {
      channels[(sent * 7919) % LOAD_CHATS].emit('messageAdded', { sid: `IM${sent}`, index: sent, author: 'ann', friendlyName: 'Ann', body: `message ${sent}` });
    }
  };
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  const started = performance.now();
  await new Promise((resolve) => {
    const timer = setInterval(() => {
      const due = Math.floor(((performance.now() - started) / 1000) * LOAD_RATE);
      while (sent < due) burst();
      if (performance.now() - started >= LOAD_SECONDS * 1000) {
        clearInterval(timer);
        resolve();
      }
    }, 10);
  });
  histogram.disable();
  const p99 = histogram.percentile(99) / 1e6;
  const allStart = performance.now();
  await Promise.all(chats.map((chat, i) => chat.send(i)));
  const allSendMs = performance.now() - allStart;
  for (const chat of chats) await chat.close();
  return { p99, allSendMs, messages: sent };
}

const VARIANTS = {
  sendLibrary: () => perSend(libraryChat),
  sendImperative: () => perSend(imperativeChat),
  heapLibrary: () => heapPerChat(libraryChat),
  heapImperative: () => heapPerChat(imperativeChat),
  loadLibrary: () => underLoad(libraryChat),
  loadImperative: () => underLoad(imperativeChat),
};

if (!(await serveVariant(VARIANTS))) await runIfMain(import.meta.url, run);

export async function run() {
  const send = await pairedRounds(import.meta.url, ['sendImperative', 'sendLibrary'], ROUNDS);
  const steady = (name) => send[name].map((result) => result.steady);
  const cold = (name) => send[name].map((result) => result.cold);
  const heap = await pairedRounds(import.meta.url, ['heapImperative', 'heapLibrary'], ROUNDS);
  const loadRounds = Math.min(ROUNDS, 3);
  const load = await pairedRounds(import.meta.url, ['loadImperative', 'loadLibrary'], loadRounds);
  const p99 = (name) => load[name].map((result) => result.p99);
  const allSend = (name) => load[name].map((result) => result.allSendMs);
  return {
    name: 'Per chat: sends, heap, load',
    note:
      `Sends: user messages in one chat, each awaited, CPU time: steady, the median of 3 chats of ${SENDS.toLocaleString('en')} after ${WARM_CHATS} ` +
      `warm-up chats of ${COLD_SENDS.toLocaleString('en')}; cold, the first ${COLD_SENDS.toLocaleString('en')} sends of a fresh process. Heap: ${HEAP_CHATS.toLocaleString('en')} ` +
      `open chats (agent joined, one message shown), heapUsed after two full GCs. Load: ${LOAD_CHATS.toLocaleString('en')} open chats, ` +
      `${LOAD_RATE.toLocaleString('en')} agent messages/s for ${LOAD_SECONDS} s, then every user sends at once. One process per variant; ` +
      `${ROUNDS} paired rounds (load: ${loadRounds}). Imperative: listeners calling the callback, sends ordered and timed out by hand.`,
    rows: [
      pairedRow('per user message sent', 'us/message', steady('sendLibrary'), steady('sendImperative'), 'imperative ordered timed-out send', { targetValue: 5, goal: true }),
      pairedRow(`per user message sent, cold (the first ${COLD_SENDS.toLocaleString('en')} of a fresh process)`, 'us/message', cold('sendLibrary'), cold('sendImperative'), 'imperative, cold'),
      pairedRow('heap per open chat', 'KB/chat', heap.heapLibrary, heap.heapImperative, 'imperative chat', { targetValue: 15, goal: true }),
      pairedRow(`${LOAD_CHATS.toLocaleString('en')} open chats at ${LOAD_RATE.toLocaleString('en')} msg/s, event-loop delay p99`, 'ms', p99('loadLibrary'), p99('loadImperative'), 'imperative', {
        targetValue: 5,
        goal: true,
      }),
      pairedRow(`${LOAD_CHATS.toLocaleString('en')} open chats, every user sends at once: until all acknowledged`, 'ms', allSend('loadLibrary'), allSend('loadImperative'), 'imperative'),
    ],
  };
}

