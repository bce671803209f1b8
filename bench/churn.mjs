// Session churn: 10 000 chats started and ended through createServiceDesk (from dist/: run `npm run build` first),
// then what is left behind: listeners on the vendor's objects, open connections, live timers, and heap growth after
// GC. Next to it, the same figures for an imperative integration written the way the reference integrations are
// (listeners added on startChat and never removed), which leaks.
//
// Each vendor is one target (a function returning a reactive and an imperative "world"); add a target to TARGETS to
// measure another vendor with its fake SDK (the fake Twilio channel goes there).
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { asyncScheduler } from 'rxjs';
import { createServiceDesk, silentLogger } from '../dist/index.js';
import { SimulatedDeskEngine, simulatedDesk } from '../dist/simulator.js';
import { FakeEmitter, trackingScheduler } from '../dist/testing.js';
import { fakeTwilioConversations } from '../dist/testing/twilio.js';
import { twilioConversations } from '../dist/twilio-conversations.js';
import { runIfMain } from './report.mjs';

const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 10_000);
/** Widgets (desks) running chats one after another, side by side: engine frames arrive on a 0 ms timer, so one
 * widget alone would mostly wait for the clock. */
const LANES = Number(process.env.BENCH_LANES ?? 20);
const WARMUP_PER_LANE = 20;
const CONNECT = { output: { generic: [{ response_type: 'connect_to_agent', message_to_human_agent: 'The user wants to change a booking.' }] } };

/** `global.gc` when node runs with --expose-gc; otherwise the same function, exposed at run time through V8 flags. */
function findGc() {
  if (typeof globalThis.gc === 'function') return { gc: globalThis.gc, how: 'global.gc (node --expose-gc)' };
  setFlagsFromString('--expose-gc');
  return { gc: runInNewContext('gc'), how: 'gc exposed at run time (v8.setFlagsFromString("--expose-gc"))' };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A host callback whose methods do nothing (watsonx style: they return nothing). */
function noopCallback() {
  const callback = {};
  for (const method of ['updateAgentAvailability', 'agentJoined', 'agentReadMessages', 'agentTyping', 'sendMessageToUser', 'beginTransferToAnotherAgent', 'agentLeftChat', 'agentEndedChat', 'setErrorStatus', 'setFileUploadStatus', 'updateCapabilities']) {
    callback[method] = () => undefined;
  }
  return callback;
}

// --- target: the simulated desk ------------------------------------------------------------------------------------

/**
 * A fake vendor SDK client over the in-memory desk: a connection's frames arrive as events of one long-lived client
 * object (`frame:<id>`, `close:<id>`), the way SDK clients deliver channel events. Its listener count is what a chat
 * leaves behind.
 */
function deskSdk(engine) {
  const client = new FakeEmitter();
  let ids = 0;
  return {
    client,
    connect() {
      const id = (ids += 1);
      const connection = engine.connect({ frame: (frame) => client.emit(`frame:${id}`, frame), close: (reason) => client.emit(`close:${id}`, reason) });
      return { id, send: (frame) => connection.send(frame), close: () => connection.close() };
    },
  };
}

function simulatedDeskTarget() {
  const world = (imperative) => {
    const timers = trackingScheduler(asyncScheduler);
    const engine = new SimulatedDeskEngine({ scheduler: timers.scheduler });
    const sdk = deskSdk(engine);
    const newWidget = imperative ? () => imperativeSimulatedDesk(sdk, noopCallback()) : () => reactiveSimulatedDesk(sdk, timers.scheduler);
    return {
      newWidget,
      left: () => ({
        listeners: sdk.client.listenerCount(),
        connections: engine.list().filter((conversation) => conversation.connected).length,
        timers: timers.live,
      }),
      // The engine keeps every conversation (it is the vendor): forget them before the heap is measured.
      release: () => engine.dispose(),
    };
  };
  return { name: 'simulated desk', reactive: () => world(false), imperative: () => world(true) };
}

/** rx-service-desk: the simulated desk adapter on a transport over the fake SDK; the library closes what it opens. */
function reactiveSimulatedDesk(sdk, scheduler) {
  const transport = {
    open(handlers) {
      const connection = sdk.connect();
      const onFrame = (frame) => handlers.frame(frame);
      const onClose = (reason) => handlers.close(reason);
      sdk.client.on(`frame:${connection.id}`, onFrame);
      sdk.client.on(`close:${connection.id}`, onClose);
      return {
        send: connection.send,
        close() {
          sdk.client.off(`frame:${connection.id}`, onFrame);
          sdk.client.off(`close:${connection.id}`, onClose);
          connection.close();
        },
      };
    },
  };
  const desk = createServiceDesk(simulatedDesk({ transport }), { callback: noopCallback() }, { scheduler, logger: silentLogger });
  return { start: () => desk.startChat(CONNECT), end: () => desk.endChat() };
}

/**
 * The imperative baseline, shaped like the reference service desk integrations: startChat opens a connection and
 * adds its listeners to the SDK client; endChat tells the desk and forgets the connection, but never removes them.
 */
function imperativeSimulatedDesk(sdk, callback) {
  let connection;
  let connected;
  const onFrame = (frame, channel) => {
    if (channel.id < 0) return;
    switch (frame.t) {
      case 'session':
        connected?.();
        break;
      case 'queue':
        callback.updateAgentAvailability({ position_in_queue: frame.position, estimated_wait_time: frame.waitMinutes });
        break;
      case 'join':
        callback.agentJoined({ id: frame.agent.id, nickname: frame.agent.nickname, profile_picture_url: frame.agent.avatarUrl });
        break;
      case 'message':
        callback.sendMessageToUser({ id: frame.id, output: { generic: [{ response_type: 'text', text: frame.text }] } }, frame.agentId);
        break;
      case 'typing':
        callback.agentTyping(frame.on);
        break;
      case 'ended':
        callback.agentEndedChat();
        break;
    }
  };
  return {
    start() {
      const channel = sdk.connect();
      connection = channel;
      // Like the reference integrations: handlers made per chat, closing over that chat's vendor objects.
      sdk.client.on(`frame:${channel.id}`, (frame) => onFrame(frame, channel));
      sdk.client.on(`close:${channel.id}`, () => channel.id > 0 && callback.setErrorStatus({ type: 2, isDisconnected: true }));
      const started = new Promise((resolve) => (connected = resolve));
      connection.send({ t: 'start', summary: ['The user wants to change a booking.'] });
      return started;
    },
    async end() {
      connection?.send({ t: 'end' });
      connection = undefined;
    },
  };
}

// --- target: the fake Twilio Conversations SDK ------------------------------------------------------------------------

/**
 * One fake Flex conversation per widget (the fakes of rx-service-desk/testing/twilio, typed from the SDK's
 * declarations): every chat creates a client, opens the conversation, and leaves it at the end.
 */
function twilioTarget() {
  const world = (imperative) => {
    const timers = trackingScheduler(asyncScheduler);
    const desks = [];
    const newWidget = () => {
      const desk = fakeTwilioConversations({ scheduler: timers.scheduler });
      desks.push(desk);
      return imperative ? imperativeTwilio(desk, noopCallback()) : reactiveTwilio(desk, timers.scheduler);
    };
    return {
      newWidget,
      left: () => ({
        listeners: desks.reduce((total, desk) => total + desk.listenerCount(), 0),
        connections: desks.reduce((total, desk) => total + desk.clients.filter((client) => client.shutdowns === 0).length, 0),
        timers: timers.live,
      }),
      // The fake desk keeps every client it made, every message it got or was sent and a log of every call (it is the
      // vendor, and a
      // test fake): forget them before
      // the heap is measured.
      release: () => {
        for (const desk of desks) {
          desk.clients.length = 0;
          desk.conversation.messages.length = 0;
          desk.conversation.calls.length = 0;
          desk.conversation.sent.length = 0;
        }
      },
    };
  };
  return { name: 'fake Twilio Conversations', reactive: () => world(false), imperative: () => world(true) };
}

/** rx-service-desk: the Conversations adapter on the fake SDK. */
function reactiveTwilio(desk, scheduler) {
  const adapter = twilioConversations({ getSession: async () => desk.session(), createClient: desk.createClient, queuePollMs: 0 });
  const chat = createServiceDesk(adapter, { callback: noopCallback() }, { scheduler, logger: silentLogger });
  return { start: () => chat.startChat(CONNECT), end: () => chat.endChat() };
}

/**
 * The imperative baseline, shaped like the reference Flex integration: startChat creates a client, waits for it,
 * gets the conversation and adds its listeners; endChat leaves the conversation. Listeners are never removed and the
 * client is never shut down.
 */
function imperativeTwilio(desk, callback) {
  let conversation;
  return {
    async start() {
      const client = desk.createClient(desk.session().token);
      await new Promise((resolve) => client.on('initialized', resolve));
      conversation = await client.getConversationBySid(desk.session().conversationSid);
      conversation.on('participantJoined', (participant) => callback.agentJoined({ id: participant.sid, nickname: participant.identity }));
      conversation.on('participantLeft', () => callback.agentLeftChat());
      conversation.on('messageAdded', (message) => callback.sendMessageToUser({ id: message.sid, output: { generic: [{ response_type: 'text', text: message.body }] } }));
      conversation.on('typingStarted', () => callback.agentTyping(true));
      conversation.on('typingEnded', () => callback.agentTyping(false));
      client.on('connectionStateChanged', (state) => callback.setErrorStatus({ type: 2, isDisconnected: state !== 'connected' }));
      await conversation.sendMessage('The user wants to change a booking.');
    },
    async end() {
      await conversation?.leave();
      conversation = undefined;
    },
  };
}

/** Every vendor measured. */
const TARGETS = [simulatedDeskTarget, twilioTarget];

// --- the measurement ---------------------------------------------------------------------------------------------

async function lanes(widgets, perLane) {
  await Promise.all(
    widgets.map(async (widget) => {
      for (let i = 0; i < perLane; i += 1) {
        await widget.start();
        await widget.end();
      }
    }),
  );
}

async function measure(world, gc) {
  const widgets = Array.from({ length: LANES }, () => world.newWidget());
  const perLane = Math.ceil(SESSIONS / LANES);
  await lanes(widgets, WARMUP_PER_LANE);
  await sleep(20);
  const before = world.left();
  gc();
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const start = performance.now();
  await lanes(widgets, perLane);
  const ms = performance.now() - start;
  await sleep(20);
  const after = world.left();
  world.release();
  await sleep(20);
  gc();
  gc();
  const heapAfter = process.memoryUsage().heapUsed;
  // The widgets live on (a page keeps its chat widget); they are part of neither figure.
  widgets.length = 0;
  return {
    sessions: perLane * LANES,
    listeners: after.listeners - before.listeners,
    connections: after.connections,
    timers: after.timers,
    heapMb: (heapAfter - heapBefore) / 2 ** 20,
    usPerSession: (ms * 1000) / (perLane * LANES),
  };
}

export async function run() {
  const { gc, how } = findGc();
  const rows = [];
  let sessions = 0;
  for (const makeTarget of TARGETS) {
    const target = makeTarget();
    const rx = await measure(target.reactive(), gc);
    const base = await measure(target.imperative(), gc);
    sessions = rx.sessions;
    rows.push(
      { what: `${target.name}, rx-service-desk: listeners left`, value: rx.listeners, unit: 'listeners', targetValue: 0 },
      { what: `${target.name}, rx-service-desk: open connections left`, value: rx.connections, unit: 'connections', targetValue: 0 },
      { what: `${target.name}, rx-service-desk: timers left`, value: rx.timers, unit: 'timers', targetValue: 0 },
      { what: `${target.name}, rx-service-desk: heap growth after GC`, value: rx.heapMb, unit: 'MB', targetValue: 1 },
      { what: `${target.name}, imperative baseline: listeners left`, value: base.listeners, unit: 'listeners' },
      { what: `${target.name}, imperative baseline: open connections left`, value: base.connections, unit: 'connections' },
      { what: `${target.name}, imperative baseline: timers left`, value: base.timers, unit: 'timers' },
      { what: `${target.name}, imperative baseline: heap growth after GC`, value: base.heapMb, unit: 'MB' },
      { what: `${target.name}, imperative baseline: time per start+end`, value: base.usPerSession, unit: 'us/session', baseline: base.usPerSession },
      { what: `${target.name}, rx-service-desk: time per start+end`, value: rx.usPerSession, unit: 'us/session', baseline: base.usPerSession },
    );
  }
  return {
    name: 'Session churn',
    note:
      `${sessions.toLocaleString('en')} chats per integration (${LANES} widgets x ${Math.ceil(SESSIONS / LANES)} chats each, side by side, ` +
      `after ${WARMUP_PER_LANE} warm-up chats per widget), each started (until connected) and ended by the user. Listeners are counted ` +
      `on the fake SDK client, connections at the desk, timers on a counting wrapper around asyncScheduler (the desk's and the ` +
      `vendor's). Heap: heapUsed after two full GCs, before and after the chats, with the vendor's own conversation store ` +
      `emptied first; GC: ${how}. Times include waiting for the desk's 0 ms frame timer.`,
    rows,
  };
}

await runIfMain(import.meta.url, run);
