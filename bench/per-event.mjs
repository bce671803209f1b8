// Per-event cost: vendor events through decode -> normalise (dedupe, typing rules) -> host calls -> binder -> a
// no-op host callback, through the real createServiceDesk, against the imperative baseline of the reference
// integrations (an emitter listener calling the callback directly), measured side by side in the same run.
import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import { merge, of } from 'rxjs';
import { createServiceDesk, decodeEmitter, silentLogger } from '../dist/index.js';
import { runIfMain } from './report.mjs';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const ME = 'guest-42';

// A busy chat: 80% agent messages, 20% typing, an agent join every 10 000 events (a transfer back and forth).
function workload() {
  const events = [];
  for (let i = 0; i < EVENTS; i += 1) {
    if (i % 10_000 === 0) events.push(['memberJoined', { identity: i % 20_000 === 0 ? 'ann' : 'bob', friendlyName: 'Agent' }]);
    else if (i % 5 === 4) events.push([i % 10 === 4 ? 'typingStarted' : 'typingEnded', { identity: 'ann' }]);
    else events.push(['messageAdded', { sid: `IM${i}`, author: 'ann', body: `message ${i}` }]);
  }
  return events;
}

function noopCallback() {
  let calls = 0;
  const count = () => {
    calls += 1;
  };
  const callback = {};
  for (const method of ['updateAgentAvailability', 'agentJoined', 'agentReadMessages', 'agentTyping', 'sendMessageToUser', 'beginTransferToAnotherAgent', 'agentLeftChat', 'agentEndedChat', 'setErrorStatus', 'setFileUploadStatus', 'updateCapabilities']) {
    callback[method] = count;
  }
  return { callback, calls: () => calls };
}

const play = (channel, events) => {
  const start = performance.now();
  for (const [name, payload] of events) channel.emit(name, payload);
  return performance.now() - start;
};

// The reference integrations: listeners call the callback directly. `dedupe` adds the same id check we do.
function imperative(events, dedupe) {
  const channel = new EventEmitter();
  const { callback, calls } = noopCallback();
  let seen = new Set();
  let older = new Set();
  channel.on('memberJoined', (member) => callback.agentJoined({ id: member.identity, nickname: member.friendlyName }));
  channel.on('messageAdded', (message) => {
    if (message.author === ME) return;
    if (dedupe) {
      if (seen.has(message.sid) || older.has(message.sid)) return;
      if (seen.size >= 1000) {
        older = seen;
        seen = new Set();
      }
      seen.add(message.sid);
    }
    callback.sendMessageToUser({ id: message.sid, output: { generic: [{ response_type: 'text', text: message.body }] } }, message.author);
  });
  channel.on('typingStarted', () => callback.agentTyping(true));
  channel.on('typingEnded', () => callback.agentTyping(false));
  const ms = play(channel, events);
  channel.removeAllListeners();
  return { ms, calls: calls() };
}

async function reactive(events) {
  const channel = new EventEmitter();
  const { callback, calls } = noopCallback();
  const adapter = {
    name: 'bench desk',
    open: (request) => ({
      events$: merge(
        of({ type: 'connected' }),
        decodeEmitter(channel, {
          memberJoined: (member) => ({ type: 'agentJoined', agent: { id: member.identity, nickname: member.friendlyName } }),
          messageAdded: (message) => (message.author === ME ? undefined : { type: 'agentMessage', id: message.sid, agentId: message.author, text: message.body }),
          typingStarted: () => ({ type: 'agentTyping', isTyping: true }),
          typingEnded: () => ({ type: 'agentTyping', isTyping: false }),
        }, request.logger),
      ),
      sendMessage: () => of(true),
    }),
  };
  // A watsonx-style host: callbacks return nothing, so the binder's synchronous path is measured.
  const desk = createServiceDesk(adapter, { callback }, { logger: silentLogger });
  await desk.startChat({ output: { generic: [] } });
  const ms = play(channel, events);
  await desk.endChat();
  return { ms, calls: calls(), listenersLeft: channel.listenerCount('messageAdded') };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export async function run() {
  const events = workload();
  const warm = events.slice(0, 100_000);
  for (let i = 0; i < 3; i += 1) {
    imperative(warm, false);
    imperative(warm, true);
    await reactive(warm);
  }
  const base = [];
  const baseDedupe = [];
  const rx = [];
  const calls = {};
  for (let i = 0; i < RUNS; i += 1) {
    const a = imperative(events, false);
    const b = imperative(events, true);
    const c = await reactive(events);
    base.push(a.ms);
    baseDedupe.push(b.ms);
    rx.push(c.ms);
    Object.assign(calls, { base: a.calls, baseDedupe: b.calls, rx: c.calls, listenersLeft: c.listenersLeft });
  }
  const ns = (values) => (median(values) * 1e6) / EVENTS;
  const [nsBase, nsDedupe, nsRx] = [ns(base), ns(baseDedupe), ns(rx)];
  return {
    name: 'Per-event cost',
    note: `${EVENTS.toLocaleString('en')} vendor events (80% messages, 20% typing, joins), median of ${RUNS} runs; host callbacks made: ${calls.rx.toLocaleString('en')} (baseline ${calls.base.toLocaleString('en')}); listeners left after endChat: ${calls.listenersLeft}`,
    rows: [
      { what: 'imperative baseline: listener calls the callback', value: nsBase, unit: 'ns/event', baseline: nsBase },
      { what: 'imperative baseline + the same message-id dedupe', value: nsDedupe, unit: 'ns/event', baseline: nsBase },
      { what: 'rx-service-desk: createServiceDesk, decode -> normalise -> binder', value: nsRx, unit: 'ns/event', baseline: nsBase, targetRatio: 2 },
      { what: 'rx-service-desk vs the baseline with dedupe', value: nsRx, unit: 'ns/event', baseline: nsDedupe, baselineName: 'baseline with dedupe', targetRatio: 2 },
    ],
  };
}

await runIfMain(import.meta.url, run);
