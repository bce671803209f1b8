// Per-event cost: one busy chat's vendor events, from the vendor's emitter to a host callback that KEEPS its argument
// (a real host renders it; a no-op host lets V8 delete the message the baseline builds). Each variant runs in its own
// process, in paired rounds (bench/rounds.mjs); the figure is CPU time per event.
//
// Variants:
// - plain: the imperative listener of the reference integrations (a listener builds the host message and calls the
//   callback). The floor.
// - plainDedupe: the same, plus the message-id dedupe (a two-generation Set) the library does.
// - direct: the library's guarantees written directly, by hand, without RxJS: decode to a domain event, validate it,
//   dedupe (the library's: by the vendor's ordered index in a bitmap window, by id without one), the typing rule (repeated states dropped), the join/transfer rules (a second agent is a transfer, an
//   agent who speaks first is joined), the host message, and an ordered binder that awaits a callback's promise before
//   the next call, with a synchronous fast path when nothing is pending.
// - library: createServiceDesk on an adapter made with createAdapter from a port (the engine's path; what every
//   vendor adapter becomes), the port decoding the emitter's events as a vendor port does.
// - libraryRaw: createServiceDesk on a hand-written ServiceDeskAdapter through decodeEmitter (the path custom adapters
//   written without the engine take).
import { EventEmitter } from 'node:events';
import { merge, of } from 'rxjs';
import { createAdapter, createServiceDesk, decodeEmitter, silentLogger } from '../dist/index.js';
import { CONNECT, ME, benchPort } from './bench-desk.mjs';
import { runIfMain } from './report.mjs';
import { cpuMicros, keepingHost, median, pairedRounds, pairedRow, serveVariant } from './rounds.mjs';

const QUICK = process.env.BENCH_QUICK === '1';
const EVENTS = Number(process.env.BENCH_EVENTS ?? (QUICK ? 200_000 : 1_000_000));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? (QUICK ? 3 : 7));
const WARMUP = 100_000;
const AGENTS = { ann: 'Ann', bob: 'Bob' };

/**
 * A busy chat: 80% agent messages (each with the vendor's ordered index), 20% typing, and every 10,000 events the
 * other agent joins (a transfer back and forth) and speaks from then on.
 */
function workload(count) {
  const events = [];
  for (let i = 0; i < count; i += 1) {
    const agent = Math.floor(i / 10_000) % 2 === 0 ? 'ann' : 'bob';
    if (i % 10_000 === 0) events.push(['memberJoined', { identity: agent, friendlyName: AGENTS[agent] }]);
    else if (i % 5 === 4) events.push([i % 10 === 4 ? 'typingStarted' : 'typingEnded', { identity: agent }]);
    else events.push(['messageAdded', { sid: `IM${i}`, index: i, author: agent, friendlyName: AGENTS[agent], body: `message ${i}` }]);
  }
  return events;
}

const play = (channel, events) => {
  for (let i = 0; i < events.length; i += 1) channel.emit(events[i][0], events[i][1]);
};

const textMessage = (id, text) => ({ id, output: { generic: [{ response_type: 'text', text }] } });

/** The two-generation id set of the engine (ENGINE_SEEN_LIMIT 10,000: generations of 5,000 ids), the oldest generation dropped when the newest fills. */
function twoGenerations(half) {
  let seen = new Set();
  let older = new Set();
  return (id) => {
    if (seen.has(id) || older.has(id)) return false;
    if (seen.size >= half) {
      older = seen;
      seen = new Set();
    }
    seen.add(id);
    return true;
  };
}

/**
 * The library's dedupe written directly: by the vendor's ordered index in a 4,096-bit window (older counts as seen),
 * by the two-generation id set without an index (as createSeenIds in lib/core/engine/seen.ts).
 */
function seenMessages() {
  const fresh = twoGenerations(5000);
  const bits = new Uint32Array(128);
  let top = -1;
  return (id, index) => {
    if (index === undefined) return fresh(id);
    if (index > top) {
      if (index - top >= 4096) bits.fill(0);
      else for (let next = top + 1; next < index; next += 1) bits[(next % 4096) >>> 5] &= ~(1 << (next & 31));
      top = index;
    } else if (index <= top - 4096 || bits[(index % 4096) >>> 5] & (1 << (index & 31))) return false;
    bits[(index % 4096) >>> 5] |= 1 << (index & 31);
    return true;
  };
}

// --- the chats: open(events emitter, host callback) -> close() -------------------------------------------------------

function plain(channel, callback) {
  channel.on('memberJoined', (member) => callback.agentJoined({ id: member.identity, nickname: member.friendlyName }));
  channel.on('messageAdded', (message) => {
    if (message.author === ME) return;
    callback.sendMessageToUser(textMessage(message.sid, message.body), message.author);
  });
  channel.on('typingStarted', () => callback.agentTyping(true));
  channel.on('typingEnded', () => callback.agentTyping(false));
  return async () => channel.removeAllListeners();
}

function plainDedupe(channel, callback) {
  const fresh = twoGenerations(5000);
  channel.on('memberJoined', (member) => callback.agentJoined({ id: member.identity, nickname: member.friendlyName }));
  channel.on('messageAdded', (message) => {
    if (message.author === ME || !fresh(message.sid)) return;
    callback.sendMessageToUser(textMessage(message.sid, message.body), message.author);
  });
  channel.on('typingStarted', () => callback.agentTyping(true));
  channel.on('typingEnded', () => callback.agentTyping(false));
  return async () => channel.removeAllListeners();
}

/** An ordered binder: calls one at a time, a returned promise awaited before the next; synchronous when idle. */
function orderedBinder(callback) {
  const queue = [];
  let busy = false;
  const call = (method, arg, extra) => {
    let result;
    try {
      result = callback[method](arg, extra);
    } catch {
      return;
    }
    if (result && typeof result.then === 'function') {
      busy = true;
      const next = () => {
        busy = false;
        while (!busy && queue.length) call(...queue.shift());
      };
      result.then(next, next);
    }
  };
  return (method, arg, extra) => (busy ? queue.push([method, arg, extra]) : call(method, arg, extra));
}

function direct(channel, callback) {
  const push = orderedBinder(callback);
  const fresh = seenMessages();
  let agentId;
  let typing = false;
  const join = (id, nickname) => {
    if (agentId === id) return;
    const agent = { id, nickname, user_type: 'human' };
    if (agentId !== undefined) push('beginTransferToAnotherAgent', agent);
    agentId = id;
    push('agentJoined', agent);
  };
  const decodeMessage = (message) =>
    message.author === ME ? undefined : { type: 'agentMessage', id: message.sid, text: message.body, agentId: message.author, nickname: message.friendlyName, index: message.index };
  channel.on('memberJoined', (member) => {
    if (typeof member?.identity !== 'string') return;
    join(member.identity, member.friendlyName);
  });
  channel.on('messageAdded', (payload) => {
    const event = decodeMessage(payload);
    if (!event || typeof event.id !== 'string' || typeof event.text !== 'string' || !fresh(event.id, event.index)) return;
    if (event.agentId !== agentId) join(event.agentId, event.nickname);
    if (typing) {
      typing = false;
      push('agentTyping', false);
    }
    push('sendMessageToUser', textMessage(event.id, event.text), event.agentId);
  });
  const onTyping = (isTyping) => (member) => {
    if (typeof member?.identity !== 'string' || member.identity !== agentId || typing === isTyping) return;
    typing = isTyping;
    push('agentTyping', isTyping);
  };
  channel.on('typingStarted', onTyping(true));
  channel.on('typingEnded', onTyping(false));
  return async () => channel.removeAllListeners();
}

async function library(channel, callback) {
  const desk = createServiceDesk(createAdapter(benchPort(channel), { queuePollMs: 0 }), { callback }, { logger: silentLogger });
  await desk.startChat(CONNECT);
  return () => desk.endChat();
}

async function libraryRaw(channel, callback) {
  const adapter = {
    name: 'bench desk',
    open: (request) => ({
      events$: merge(
        of({ type: 'connected' }),
        decodeEmitter(
          channel,
          {
            memberJoined: (member) => ({ type: 'agentJoined', agent: { id: member.identity, nickname: member.friendlyName } }),
            messageAdded: (message) => (message.author === ME ? undefined : { type: 'agentMessage', id: message.sid, agentId: message.author, text: message.body }),
            typingStarted: () => ({ type: 'agentTyping', isTyping: true }),
            typingEnded: () => ({ type: 'agentTyping', isTyping: false }),
          },
          request.logger,
        ),
      ),
      sendMessage: () => of(true),
    }),
  };
  const desk = createServiceDesk(adapter, { callback }, { logger: silentLogger });
  await desk.startChat(CONNECT);
  return () => desk.endChat();
}

const CHATS = { plain, plainDedupe, direct, library, libraryRaw };

/** In the child: warm up on fresh chats, then three timed chats of EVENTS events; the median CPU ns per event. */
async function measure(open) {
  const warm = workload(WARMUP);
  for (let i = 0; i < 3; i += 1) {
    const channel = new EventEmitter();
    const close = await open(channel, keepingHost().callback);
    play(channel, warm);
    await close();
  }
  const events = workload(EVENTS);
  const figures = [];
  let calls = 0;
  for (let i = 0; i < 3; i += 1) {
    const channel = new EventEmitter();
    const host = keepingHost();
    const close = await open(channel, host.callback);
    figures.push((cpuMicros(() => play(channel, events)) * 1000) / EVENTS);
    calls = host.calls();
    await close();
    if (channel.listenerCount('messageAdded') !== 0) throw new Error('per-event bench: listeners left after the chat');
  }
  return { ns: median(figures), calls };
}

if (!(await serveVariant(Object.fromEntries(Object.entries(CHATS).map(([name, open]) => [name, () => measure(open)]))))) {
  await runIfMain(import.meta.url, run);
}

export async function run() {
  const names = Object.keys(CHATS);
  const results = await pairedRounds(import.meta.url, names, ROUNDS);
  const ns = Object.fromEntries(names.map((name) => [name, results[name].map((result) => result.ns)]));
  const calls = Object.fromEntries(names.map((name) => [name, results[name][0].calls]));
  const row = (what, name, base, baseName, extra) => pairedRow(what, 'ns/event', ns[name], ns[base], baseName, extra);
  return {
    name: 'Per-event cost',
    note:
      `${EVENTS.toLocaleString('en')} vendor events per chat (80% agent messages with an ordered index, 20% typing, a transfer every 10,000), ` +
      `CPU time, median of 3 chats per process after 3 warm-up chats, one process per variant, ${ROUNDS} paired rounds; the host keeps ` +
      `its argument. Host calls per chat: ${names.map((name) => `${name} ${calls[name].toLocaleString('en')}`).join(', ')}.`,
    rows: [
      row('plain imperative listener', 'plain', 'plain', 'plain'),
      row('plain imperative + id dedupe (two-generation Set)', 'plainDedupe', 'plain', 'plain'),
      row('the same guarantees written directly', 'direct', 'plain', 'plain'),
      row('createServiceDesk on a hand-written adapter (decodeEmitter)', 'libraryRaw', 'direct', 'same-work direct'),
      row('per event vs same-work direct code (createServiceDesk + createAdapter port)', 'library', 'direct', 'same-work direct', { targetRatio: 1.2, goal: true }),
      row('per event vs plain imperative, vendor with ordered indexes (createServiceDesk + createAdapter port)', 'library', 'plain', 'plain imperative', { targetRatio: 1.5, goal: true }),
    ],
  };
}
