// Chat length: what one agent message costs, from the desk to the host callback, once the chat already holds 100,
// 10,000 and 50,000 messages, for every adapter on its desk or fake (from dist/: run `npm run build` first). Each
// figure is next to the 100-message figure of the same adapter in the same run: a cost that grows with the chat
// (a scan, a copy, a dedupe that evicts the oldest id) shows as a ratio above 1.
//
// The desks and fakes: the simulated desk's own engine (frames on queueScheduler, so delivered at once and not on
// a 0 ms timer), the fake Twilio Chat and Conversations SDKs of rx-service-desk/testing/twilio (agent messages
// stored and emitted as the fake's `deliver` does, without its `includes` check, an O(n) cost of the fake and not
// of the adapter), the Genesys Web Messaging simulator over real sockets on 127.0.0.1 (each message awaited
// until the host shows it, so its figures include a loopback round trip), and Amazon Connect on the fake chatjs of
// rx-service-desk/testing/amazon-connect over the participant simulator's core (frames at once on queueScheduler).
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { asyncScheduler, queueScheduler } from 'rxjs';
import { WebSocket } from 'ws';
import { createServiceDesk, silentLogger } from '../dist/index.js';
import { genesysWebMessaging, wsSocketFactory } from '../dist/genesys.js';
import { SimulatedDeskEngine, engineTransport, simulatedDesk } from '../dist/simulator.js';
import { amazonConnect } from '../dist/amazon-connect.js';
import { connectSimulatorCore } from '../dist/simulator/amazon-connect.js';
import { startGenesysSimulator } from '../dist/simulator/genesys.js';
import { fakeChatJs } from '../dist/testing/amazon-connect.js';
import { fakeTwilioChat, fakeTwilioConversations } from '../dist/testing/twilio.js';
import { twilioChat } from '../dist/twilio-chat.js';
import { twilioConversations } from '../dist/twilio-conversations.js';
import { runIfMain } from './report.mjs';
import { median } from './rounds.mjs';

const LENGTHS = (process.env.BENCH_CHAT_LENGTHS ?? '100,10000,50000').split(',').map(Number);
const RUNS = Number(process.env.BENCH_CHAT_RUNS ?? 3);
/**
 * Messages measured at each length: the next WINDOW once the chat holds that many, timed in slices of SLICE messages.
 * A figure is the median slice: on a shared machine a slice the process was descheduled in costs 100 times the
 * others, and would swamp a mean.
 */
const WINDOW = 1_000;
const SLICE = 10;
/** Warm-up chats before the measured ones: V8 needs tens of thousands of messages to optimise the whole path. */
const WARMUP_CHATS = Number(process.env.BENCH_CHAT_WARMUP_CHATS ?? 3);
const WARMUP = 20_000;
const TARGET_RATIO = 1.5;
const CONNECT = { output: { generic: [{ response_type: 'connect_to_agent', message_to_human_agent: 'The user wants to change a booking.' }] } };

/** `global.gc` when node runs with --expose-gc; otherwise the same function, exposed at run time through V8 flags. */
function findGc() {
  if (typeof globalThis.gc === 'function') return globalThis.gc;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc');
}

/** A watsonx-style host callback (methods return nothing) that counts the agent messages shown and wakes a waiter. */
function countingHost() {
  const callback = {};
  for (const method of ['updateAgentAvailability', 'agentJoined', 'agentReadMessages', 'agentTyping', 'beginTransferToAnotherAgent', 'agentLeftChat', 'agentEndedChat', 'setErrorStatus', 'setFileUploadStatus', 'updateCapabilities']) {
    callback[method] = () => undefined;
  }
  const host = { callback, shown: 0, waiter: undefined };
  callback.sendMessageToUser = () => {
    host.shown += 1;
    host.waiter?.();
  };
  /** Resolves once `count` messages are shown. */
  host.until = (count) =>
    host.shown >= count ? undefined : new Promise((resolve) => (host.waiter = () => host.shown >= count && ((host.waiter = undefined), resolve())));
  return host;
}

// --- one chat per adapter: open() -> { say(i), shown(), close() }; say returns a promise only when it must wait ---

const simulated = {
  name: 'simulated desk',
  async open() {
    const host = countingHost();
    const engine = new SimulatedDeskEngine({ scheduler: queueScheduler, autoAgent: false });
    const desk = createServiceDesk(simulatedDesk({ transport: engineTransport(engine) }), { callback: host.callback }, { logger: silentLogger });
    await desk.startChat(CONNECT);
    const id = engine.list().at(-1).id;
    engine.join(id);
    const before = host.shown;
    return {
      say: (i) => engine.say(id, `message ${i}`),
      shown: () => host.shown - before,
      close: async () => {
        await desk.endChat();
        engine.dispose();
      },
    };
  },
};

/** A Twilio adapter on its fake SDK; `target` is the fake's channel or conversation. */
function twilio(name, makeFake, targetOf, makeAdapter) {
  return {
    name,
    async open() {
      const host = countingHost();
      const fake = makeFake({ scheduler: asyncScheduler });
      const desk = createServiceDesk(makeAdapter({ getSession: async () => fake.session(), createClient: fake.createClient, queuePollMs: 0 }), { callback: host.callback }, { logger: silentLogger });
      await desk.startChat(CONNECT);
      const target = targetOf(fake);
      target.add(fake.agent('Ann'));
      const before = host.shown;
      return {
        say: (i) => {
          const message = target.createMessage('ann', `message ${i}`);
          target.addHistory(message);
          target.emit('messageAdded', message);
        },
        shown: () => host.shown - before,
        close: () => desk.endChat(),
      };
    },
  };
}

const genesys = {
  name: 'Genesys Web Messaging (simulator, real sockets)',
  async open() {
    const host = countingHost();
    const sim = await startGenesysSimulator();
    const adapter = genesysWebMessaging({ deploymentId: sim.deploymentId, webSocketUrl: sim.url, apiUrl: sim.httpUrl, socketFactory: wsSocketFactory(WebSocket), summary: false });
    const desk = createServiceDesk(adapter, { callback: host.callback }, { logger: silentLogger });
    await desk.startChat(CONNECT);
    sim.join('Ann');
    const before = host.shown;
    let said = 0;
    return {
      say: (i) => {
        sim.say(`message ${i}`);
        said += 1;
        return host.until(before + said);
      },
      shown: () => host.shown - before,
      close: async () => {
        await desk.endChat();
        await sim.close();
      },
    };
  },
};

const connect = {
  name: 'Amazon Connect (fake chatjs)',
  async open() {
    const host = countingHost();
    const core = connectSimulatorCore({ scheduler: queueScheduler });
    const chatjs = fakeChatJs({ core, scheduler: queueScheduler, latencyMs: 0 });
    const startChat = async () => {
      const { ContactId, ParticipantId, ParticipantToken } = core.startChatContact({ ParticipantDetails: { DisplayName: 'Ada' } }).body;
      return { contactId: ContactId, participantId: ParticipantId, participantToken: ParticipantToken };
    };
    const desk = createServiceDesk(amazonConnect({ chatjs, region: 'us-east-1', startChat }), { callback: host.callback }, { logger: silentLogger });
    await desk.startChat(CONNECT);
    core.join('Ann');
    const before = host.shown;
    return {
      say: (i) => void core.say(`message ${i}`),
      shown: () => host.shown - before,
      close: () => desk.endChat(),
    };
  },
};

/** Every adapter, or those whose name contains one of BENCH_CHAT_ADAPTERS (comma-separated), e.g. `simulated`. */
const ONLY = process.env.BENCH_CHAT_ADAPTERS?.split(',');
const TARGETS = [
  simulated,
  twilio('twilio-chat (fake SDK)', fakeTwilioChat, (fake) => fake.channel, twilioChat),
  twilio('twilio-conversations (fake SDK)', fakeTwilioConversations, (fake) => fake.conversation, twilioConversations),
  genesys,
  connect,
].filter((target) => !ONLY || ONLY.some((part) => target.name.includes(part)));

// --- the measurement -------------------------------------------------------------------------------------------------

async function play(chat, from, to) {
  for (let i = from; i < to; i += 1) {
    const waiting = chat.say(i);
    if (waiting) await waiting;
  }
}

/** One chat grown to the longest length: us per message of each slice measured at each length. */
async function once(target) {
  const chat = await target.open();
  const slices = {};
  let said = 0;
  for (const length of LENGTHS) {
    await play(chat, said, length);
    said = length;
    slices[length] = [];
    for (const end = length + WINDOW; said < end; said += SLICE) {
      const start = performance.now();
      await play(chat, said, said + SLICE);
      slices[length].push(((performance.now() - start) * 1000) / SLICE);
    }
  }
  if (chat.shown() !== said) throw new Error(`chat-length bench: ${target.name} showed ${chat.shown()} of ${said} messages`);
  await chat.close();
  return slices;
}

/**
 * The heap one chat of `count` messages holds (after GC), desk or fake included. A chat of its own, after the timed
 * ones: a forced GC makes the next few thousand messages several times slower, which would skew the next figure.
 */
async function heldMb(target, count, gc) {
  gc();
  const before = process.memoryUsage().heapUsed;
  const chat = await target.open();
  await play(chat, 0, count);
  gc();
  const held = process.memoryUsage().heapUsed - before;
  await chat.close();
  return held / 2 ** 20;
}

export async function run() {
  const gc = findGc();
  const rows = [];
  const longest = LENGTHS.at(-1);
  const heldAt = `${(longest + WINDOW).toLocaleString('en')} messages`;
  for (const target of TARGETS) {
    for (let w = 0; w < WARMUP_CHATS; w += 1) {
      const warm = await target.open();
      await play(warm, 0, WARMUP);
      await warm.close();
    }
    const samples = [];
    for (let r = 0; r < RUNS; r += 1) samples.push(await once(target));
    const at = (length) => median(samples.flatMap((slices) => slices[length]));
    const heap = await heldMb(target, longest + WINDOW, gc);
    const base = at(LENGTHS[0]);
    for (const length of LENGTHS) {
      const row = { what: `${target.name}: per agent message at ${length.toLocaleString('en')} messages`, value: at(length), unit: 'us/message' };
      if (length !== LENGTHS[0]) Object.assign(row, { baseline: base, baselineName: `the ${LENGTHS[0]}-message figure`, targetRatio: TARGET_RATIO, goal: length === longest });
      if (length === longest) row.extra = `heap held after GC at ${heldAt} (desk or fake included): ${heap.toFixed(1)} MB`;
      rows.push(row);
    }
  }
  return {
    name: 'Chat length',
    note:
      `One chat per adapter grown to ${LENGTHS.map((length) => length.toLocaleString('en')).join(', ')} agent messages; each figure is ` +
      `the time per message over the next ${WINDOW.toLocaleString('en')} messages once the chat holds that many, ` +
      `desk or fake -> adapter -> core -> a no-op host callback: the median of slices of ${SLICE} messages over ${RUNS} chats, after ` +
      `${WARMUP_CHATS} warm-up chats of ${WARMUP.toLocaleString('en')} messages. Target: within ${TARGET_RATIO}x of the ${LENGTHS[0]}-message figure.`,
    rows,
  };
}

await runIfMain(import.meta.url, run);
