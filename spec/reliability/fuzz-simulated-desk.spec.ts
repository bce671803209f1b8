/**
 * Fuzzing the simulated desk adapter: malformed desk frames (not JSON, binary, random JSON, unknown `t`, missing and
 * wrong-typed fields at any depth, huge and hostile strings, out-of-order and malformed `seq`) must be skipped: no
 * exception reaches the transport or the host, the session neither fails nor reconnects, the next valid frame is
 * shown, and the resume point (`lastSeq`) never moves backwards or takes a malformed value. 6 000 + 4 000 garbage
 * cases per run (plus 1 000 checks that real desk frames are accepted); a failure prints fast-check's seed and path:
 * replay it with FUZZ_SEED=<seed> FUZZ_PATH=<path> npx jest spec/reliability/fuzz-simulated-desk -t '<test name>'.
 */
import fc from 'fast-check';
import { decodeDeskFrame, isDeskFrame, simulatedDesk, webSocketTransport, type WebSocketLike } from '../../lib/simulator';
import type { AdapterEvent } from '../../lib/core/engine/port';
import { hostLog, trackingScheduler } from '../../lib/testing';
import { connectMessage, deskOn, virtualTime } from '../support/virtual';
import {
  BinaryFakeWebSocket,
  binaryData,
  fuzzOptions,
  hostCallProblems,
  hostileString,
  mutated,
  notJson,
  randomJson,
  recordingLogger,
  same,
  textsOf,
  wrongValue,
} from './fuzz-support';

// --- valid frames, as the templates garbage is made from -------------------------------------------------------

/** Sequence numbers at or below the join's (1): replays and out-of-order frames. */
const oldSeq = fc.integer({ min: 0, max: 1 });
const agent = fc.record(
  { id: fc.oneof(fc.constantFrom('agent-ann', 'agent-bob'), fc.string({ minLength: 1, maxLength: 8 })), nickname: hostileString, avatarUrl: hostileString },
  { requiredKeys: ['id', 'nickname'] },
);
const attachment = fc.record(
  { url: hostileString, name: hostileString, mimeType: fc.constantFrom('image/png', 'application/pdf', 'text/html'), size: fc.nat() },
  { requiredKeys: ['url', 'name'] },
);

const historyFrame = fc.oneof(
  fc.record({ t: fc.constant('join'), seq: oldSeq, agent }),
  fc.record({ t: fc.constant('transfer'), seq: oldSeq, agent }, { requiredKeys: ['t', 'seq'] }),
  fc.record({ t: fc.constant('leave'), seq: oldSeq, agentId: fc.constantFrom('agent-bob', 'agent-carol') }),
  fc.record(
    { t: fc.constant('message'), seq: oldSeq, id: fc.string({ minLength: 1, maxLength: 8 }), agentId: fc.constantFrom('agent-ann', 'agent-bob'), text: hostileString, attachments: fc.array(attachment, { maxLength: 2 }) },
    { requiredKeys: ['t', 'seq', 'id', 'agentId', 'text'] },
  ),
);

const liveFrame = fc.oneof(
  fc.record({ t: fc.constant('typing'), agentId: fc.constantFrom('agent-ann', 'agent-bob'), on: fc.boolean() }),
  fc.record({ t: fc.constant('read') }),
  fc.record({ t: fc.constant('queue'), position: fc.nat(10), waitMinutes: fc.nat(10) }),
  fc.record({ t: fc.constantFrom('ack', 'fileAck'), id: fc.string({ maxLength: 8 }) }),
  fc.record({ t: fc.constantFrom('nack', 'fileNack'), id: fc.string({ maxLength: 8 }), reason: hostileString }),
  fc.record({ t: fc.constant('error'), code: fc.constant('BAD_FRAME'), message: hostileString }),
  fc.record({ t: fc.constant('session'), token: fc.string({ maxLength: 8 }), resumed: fc.boolean() }),
);

const unknownFrame = fc.record({ t: fc.oneof(fc.constantFrom('Message', 'JOIN', 'presence', '', '__proto__', 'toString'), fc.string({ maxLength: 8 })), seq: fc.oneof(oldSeq, wrongValue), data: wrongValue });

const validFrame = fc.oneof(historyFrame, liveFrame);

// --- garbage ----------------------------------------------------------------------------------------------------

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const FATAL_CODES = ['SESSION_NOT_FOUND', 'REPLACED', 'REJECTED'];

/**
 * The desk's own signals are not garbage, however they are dressed: `ended` (the agent ended the chat), an `error`
 * with a fatal code, and a `session` with a token mid-chat (a new session). The scenario specs cover them. Nor is a
 * history frame numbered after the last one: without gap detection it cannot be told from the next real frame, so
 * out-of-order numbers here are old ones (replays).
 */
function isSignal(frame: unknown): boolean {
  if (!isObject(frame)) return false;
  if (frame.t === 'ended') return true;
  if (['join', 'transfer', 'leave', 'message'].includes(frame.t as string) && Number.isInteger(frame.seq) && (frame.seq as number) > 1) return true;
  if (frame.t === 'error' && FATAL_CODES.includes(frame.code as string)) return true;
  return frame.t === 'session' && typeof frame.token === 'string';
}

const garbageFrame: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: mutated(validFrame) },
  { weight: 2, arbitrary: unknownFrame },
  { weight: 2, arbitrary: validFrame },
);

/** One garbage frame as the socket delivers it (`data` of a message event). */
const garbage: fc.Arbitrary<unknown> = fc
  .oneof(
    { weight: 1, arbitrary: notJson },
    { weight: 1, arbitrary: binaryData },
    { weight: 1, arbitrary: randomJson },
    { weight: 8, arbitrary: garbageFrame.map((frame) => JSON.stringify(frame) ?? 'null') },
  )
  .filter((data) => {
    try {
      return !isSignal(typeof data === 'string' ? JSON.parse(data) : undefined);
    } catch {
      return true;
    }
  });

// --- the pure decoder -------------------------------------------------------------------------------------------

const isString = (value: unknown): value is string => typeof value === 'string';
const isCount = (value: unknown) => value === undefined || (typeof value === 'number' && Number.isFinite(value) && value >= 0);

/** What is wrong with a decoded event, if anything. */
function eventProblem(event: AdapterEvent): string | undefined {
  switch (event.type) {
    case 'agentJoined':
      return isString(event.agent.id) && event.agent.id && isString(event.agent.nickname) && (event.agent.avatarUrl === undefined || isString(event.agent.avatarUrl))
        ? undefined
        : 'an agent without string id and nickname';
    case 'transferStarted':
      return event.agent === undefined || (isString(event.agent.id) && isString(event.agent.nickname)) ? undefined : 'a transfer to a malformed agent';
    case 'agentLeft':
      return event.agentId === undefined || isString(event.agentId) ? undefined : 'a leave without a string agent id';
    case 'agentMessage':
      if (!isString(event.id) || !event.id || !isString(event.text)) return 'a message without string id and text';
      return (event.attachments ?? []).every((item) => isString(item.url) && (item.name === undefined || isString(item.name))) ? undefined : 'a malformed attachment';
    case 'agentTyping':
      return typeof event.isTyping === 'boolean' ? undefined : 'typing without a boolean';
    case 'queueUpdate':
      return isCount(event.position) && isCount(event.waitMinutes) ? undefined : 'a queue update without finite counts';
    case 'connected':
      return event.resumed === undefined || typeof event.resumed === 'boolean' ? undefined : 'connected with a non-boolean resumed';
    default:
      return undefined;
  }
}

describe('fuzz: simulated desk decoding (pure)', () => {
  it('what isDeskFrame accepts, decodeDeskFrame maps without throwing to well-formed events', () => {
    const anyFrame = fc.oneof(garbageFrame, fc.record({ t: fc.constantFrom('ended', 'session', 'error'), seq: wrongValue, token: wrongValue, resumed: wrongValue, code: wrongValue }, { requiredKeys: ['t'] }));
    fc.assert(
      fc.property(anyFrame, (frame) => {
        if (!isDeskFrame(frame)) return;
        const problems = decodeDeskFrame(frame).flatMap((event) => eventProblem(event) ?? []);
        same(problems, [], 'problems of the decoded events');
      }),
      fuzzOptions(6_000),
    );
  });

  it('isDeskFrame accepts every frame the desk sends', () => {
    const deskFrame = fc.oneof(
      // The desk sends no message without text and attachments.
      historyFrame.map((frame) => ({ ...frame, seq: frame.seq + 1 })).filter((frame) => frame.t !== 'message' || frame.text !== '' || (frame.attachments ?? []).length > 0),
      liveFrame,
      fc.record({ t: fc.constant('ended'), seq: fc.nat() }),
      fc.record({ t: fc.constant('error'), code: fc.constantFrom('SESSION_NOT_FOUND', 'REPLACED', 'REJECTED', 'BAD_FRAME'), message: fc.string() }),
    );
    fc.assert(
      fc.property(deskFrame, (frame) => {
        same(isDeskFrame(frame), true, `isDeskFrame(${JSON.stringify(frame).slice(0, 200)})`);
      }),
      fuzzOptions(1_000),
    );
  });
});

// --- whole frames through the WebSocket transport, the adapter and the desk ------------------------------------------

const ANN = { id: 'agent-ann', nickname: 'Ann' };

/** A chat with Ann over webSocketTransport on a fake socket, in virtual time, with a recording Carbon host. */
function connectedChat() {
  const clock = virtualTime();
  const timers = trackingScheduler(clock.scheduler);
  const sockets: BinaryFakeWebSocket[] = [];
  const transport = webSocketTransport('ws://127.0.0.1/desk', {
    createSocket: (url) => {
      const socket = new BinaryFakeWebSocket(url);
      sockets.push(socket);
      return socket as unknown as WebSocketLike;
    },
  });
  const logger = recordingLogger();
  const { desk, host } = deskOn(simulatedDesk({ transport }), clock.scheduler, { logger, scheduler: timers.scheduler });
  void desk.startChat(connectMessage());
  const socket = sockets[0] as BinaryFakeWebSocket;
  socket.open();
  socket.receive({ t: 'session', token: 'tok', resumed: false });
  socket.receive({ t: 'join', seq: 1, agent: ANN });
  return { clock, timers, sockets, socket, desk, host, logger };
}

const lastSeqOf = (persisted: unknown) => (persisted as { resume?: { session?: { lastSeq?: unknown } } } | undefined)?.resume?.session?.lastSeq;

describe('fuzz: simulated desk frames through the transport and the adapter', () => {
  it('garbage is skipped: no exception, no error, no reconnect, the next valid message is shown and lastSeq only moves forward', () => {
    fc.assert(
      fc.property(fc.array(garbage, { minLength: 1, maxLength: 6 }), (frames) => {
        const chat = connectedChat();
        same(hostLog(chat.host), ['agentJoined(Ann)'], 'the chat before the garbage');
        frames.forEach((data, index) => {
          if (typeof data === 'string') chat.socket.receive(data);
          else chat.socket.receiveData(data);
          // A well-formed message from an agent who has not joined holds what follows until that agent's join
          // shows (their own join event, or the profile timeout): let virtual time run to the end of that wait.
          chat.clock.flush();
          const before = chat.host.calls.length;
          const seq = index + 2;
          chat.socket.receive({ t: 'message', seq, id: `valid-${seq}`, agentId: ANN.id, text: `valid ${seq}` });
          const shown = chat.host.calls.slice(before).filter((call) => call.method === 'sendMessageToUser');
          same(textsOf(shown), [`valid ${seq}`], `the valid message after garbage frame ${index}`);
          same(shown.map((call) => (call.args[0] as { id: string }).id), [`valid-${seq}`], 'its id');
          same(lastSeqOf(chat.host.persisted), seq, 'the resume point (lastSeq)');
        });
        same(hostLog(chat.host).filter((line) => /^(setErrorStatus|agentEndedChat)/.test(line)), [], 'error and end calls');
        same(chat.logger.errors, [], 'errors logged');
        same(chat.sockets.length, 1, 'sockets opened (a reconnect opens another)');
        same(hostCallProblems(chat.host.calls), [], 'malformed host calls');
        void chat.desk.endChat();
        chat.clock.flush();
        same([chat.socket.listenerCount(), chat.timers.live], [0, 0], 'listeners and timers after endChat');
      }),
      fuzzOptions(4_000),
    );
  });
});
