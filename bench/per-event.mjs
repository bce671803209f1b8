// Per-event cost: vendor events through decode -> normalize -> host calls -> binder -> a no-op host callback,
// against the imperative baseline of the reference integrations (an emitter listener calling the callback).
import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import { bind, decodeEmitter, dialectFor, normalize, silentLogger, toHostCalls } from '../dist/index.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);

// 80% agent messages, 20% typing (on/off), as in docs/performance-notes: a realistic busy chat.
function workload() {
  const events = [];
  for (let i = 0; i < EVENTS; i += 1) {
    if (i % 5 === 4) events.push(['typing', i % 10 === 4]);
    else events.push(['message', { sid: `IM${i}`, author: 'agent-ann', body: `message ${i}` }]);
  }
  return events;
}

function noopCallback() {
  let calls = 0;
  const count = () => {
    calls += 1;
  };
  return {
    callback: {
      updateAgentAvailability: count, agentJoined: count, agentReadMessages: count, agentTyping: count,
      sendMessageToUser: count, beginTransferToAnotherAgent: count, agentLeftChat: count, agentEndedChat: count,
      setErrorStatus: count, setFileUploadStatus: count, updateCapabilities: count,
    },
    calls: () => calls,
  };
}

const join = { identity: 'agent-ann', friendlyName: 'Ann' };

function imperative(events) {
  const channel = new EventEmitter();
  const { callback, calls } = noopCallback();
  // The reference integrations: listeners that call the callback directly.
  channel.on('memberJoined', (member) => callback.agentJoined({ id: member.identity, nickname: member.friendlyName }));
  channel.on('messageAdded', (message) => {
    if (message.author === 'me') return;
    callback.sendMessageToUser({ id: message.sid, output: { generic: [{ response_type: 'text', text: message.body }] } }, message.author);
  });
  channel.on('typingStarted', () => callback.agentTyping(true));
  channel.on('typingEnded', () => callback.agentTyping(false));
  const start = performance.now();
  channel.emit('memberJoined', join);
  for (const [kind, payload] of events) {
    if (kind === 'message') channel.emit('messageAdded', payload);
    else channel.emit(payload ? 'typingStarted' : 'typingEnded', join);
  }
  return { ms: performance.now() - start, calls: calls() };
}

function reactive(events) {
  const channel = new EventEmitter();
  const { callback, calls } = noopCallback();
  const events$ = decodeEmitter(channel, {
    memberJoined: (member) => ({ type: 'agentJoined', agent: { id: member.identity, nickname: member.friendlyName } }),
    messageAdded: (message) => (message.author === 'me' ? undefined : { type: 'agentMessage', id: message.sid, agentId: message.author, text: message.body }),
    typingStarted: () => ({ type: 'agentTyping', isTyping: true }),
    typingEnded: () => ({ type: 'agentTyping', isTyping: false }),
  }, silentLogger);
  const binding = bind(events$.pipe(normalize(), toHostCalls(dialectFor('watsonx'))), callback, { logger: silentLogger });
  const start = performance.now();
  channel.emit('memberJoined', join);
  for (const [kind, payload] of events) {
    if (kind === 'message') channel.emit('messageAdded', payload);
    else channel.emit(payload ? 'typingStarted' : 'typingEnded', join);
  }
  const ms = performance.now() - start;
  binding.unsubscribe();
  return { ms, calls: calls() };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export function run() {
  const events = workload();
  // Warm up both paths, then alternate runs so that drift hits both alike.
  imperative(events.slice(0, 50_000));
  reactive(events.slice(0, 50_000));
  const base = [];
  const rx = [];
  let callsBase = 0;
  let callsRx = 0;
  for (let i = 0; i < RUNS; i += 1) {
    const a = imperative(events);
    const b = reactive(events);
    base.push(a.ms);
    rx.push(b.ms);
    callsBase = a.calls;
    callsRx = b.calls;
  }
  const nsBase = (median(base) * 1e6) / EVENTS;
  const nsRx = (median(rx) * 1e6) / EVENTS;
  return {
    name: 'per-event cost',
    rows: [
      { what: 'imperative baseline (listener calls the callback)', value: `${nsBase.toFixed(1)} ns/event`, calls: callsBase },
      { what: 'rx-service-desk (decode, normalize, host calls, binder)', value: `${nsRx.toFixed(1)} ns/event`, calls: callsRx },
    ],
    ratio: nsRx / nsBase,
    target: '<= 2x',
    pass: nsRx / nsBase <= 2,
    note: `${EVENTS} events (80% messages, 20% typing), median of ${RUNS} runs`,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(run(), null, 2));
