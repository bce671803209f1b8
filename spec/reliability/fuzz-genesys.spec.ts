/**
 * Fuzzing the Genesys Web Messaging adapter: malformed frames (not JSON, binary, random JSON, unknown classes and
 * event types, missing and wrong-typed fields at any depth, huge and hostile strings, out-of-order times) must be
 * skipped without an exception reaching the host, without failing or reconnecting the session, and without hiding
 * the next valid frame, live or filled from the history after a drop. 5 000 + 1 000 + 4 000 + 300 + 500 cases per
 * run; a failure prints fast-check's seed and path: replay it with
 * FUZZ_SEED=<seed> FUZZ_PATH=<path> npx jest spec/reliability/fuzz-genesys -t '<test name>'.
 */
import fc from 'fast-check';
import { genesysWebMessaging } from '../../lib/adapters/genesys';
import {
  MalformedFrameError,
  contentOf,
  capabilitiesOf,
  decodeOutbound,
  historyEvents,
  parseFrame,
  senderOf,
} from '../../lib/adapters/genesys/decode';
import type { WmHistoryPage, WmInboundFrame, WmStructuredMessage } from '../../lib/adapters/genesys/protocol';
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

const isoTime = fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((date) => date.toISOString());
const name = fc.oneof(fc.constantFrom('Ann', 'Bob', 'Carol'), hostileString);

const outboundText = fc.record({
  type: fc.constant('message'),
  class: fc.constant('StructuredMessage'),
  code: fc.constant(200),
  body: fc.record({
    id: fc.string({ minLength: 1, maxLength: 12 }),
    type: fc.constantFrom('Text', 'Structured'),
    direction: fc.constant('Outbound'),
    text: hostileString,
    originatingEntity: fc.constantFrom('Human', 'Bot', ''),
    channel: fc.record({
      time: isoTime,
      messageId: fc.string({ maxLength: 8 }),
      from: fc.record({ nickname: name, firstName: name, lastName: name, image: hostileString, id: fc.string({ maxLength: 8 }) }, { requiredKeys: [] }),
    }),
    content: fc.array(
      fc.record({
        contentType: fc.constantFrom('Attachment', 'QuickReply', 'ButtonResponse'),
        attachment: fc.record({ id: fc.string(), url: hostileString, filename: hostileString, mime: fc.constantFrom('image/png', 'application/pdf', 'text/html'), fileSize: fc.nat() }),
      }),
      { maxLength: 2 },
    ),
  }),
});

const typingEvent = fc.record({
  type: fc.constant('message'),
  class: fc.constant('StructuredMessage'),
  code: fc.constant(200),
  body: fc.record({
    id: fc.string({ minLength: 1, maxLength: 12 }),
    type: fc.constant('Event'),
    direction: fc.constant('Outbound'),
    channel: fc.record({ time: isoTime }),
    events: fc.array(
      fc.oneof(
        fc.record({ eventType: fc.constant('Typing'), typing: fc.record({ type: fc.constantFrom('On', 'Off'), duration: fc.integer({ min: -1, max: 60_000 }) }) }),
        fc.record({ eventType: fc.constantFrom('Presence'), presence: fc.record({ type: fc.constantFrom('Join', 'SignIn', 'Clear') }) }),
        fc.record({ eventType: fc.constantFrom('Receipt', 'Reaction', 'Unknown', ''), extra: wrongValue }),
      ),
      { minLength: 1, maxLength: 2 },
    ),
  }),
});

const inboundEcho = fc.record({
  type: fc.constantFrom('response', 'message'),
  class: fc.constant('StructuredMessage'),
  code: fc.constant(200),
  tracingId: fc.string({ maxLength: 12 }),
  body: fc.record({ id: fc.string({ minLength: 1 }), type: fc.constant('Text'), direction: fc.constant('Inbound'), text: hostileString }),
});

const errorFrame = fc.record({
  type: fc.constant('response'),
  class: fc.constant('string'),
  code: fc.integer({ min: 100, max: 5999 }).filter((code) => code !== 4006 && code !== 4007),
  body: hostileString,
  tracingId: fc.string({ maxLength: 16 }),
});

const unsolicited = fc.oneof(
  fc.record({ type: fc.constant('response'), class: fc.constant('TooManyRequestsErrorMessage'), code: fc.constant(429), body: fc.record({ retryAfter: fc.nat(), errorCode: fc.constant(4029), errorMessage: hostileString }) }),
  fc.record({ type: fc.constant('response'), class: fc.constant('PresignedUrlResponse'), code: fc.constant(200), body: fc.record({ attachmentId: fc.string(), url: hostileString, headers: fc.constant({}) }) }),
  fc.record({ type: fc.constant('message'), class: fc.constantFrom('UploadSuccessEvent', 'UploadFailureEvent', 'GenerateUrlError'), code: fc.constant(200), body: fc.record({ attachmentId: fc.string(), downloadUrl: hostileString, errorCode: fc.nat(), errorMessage: hostileString }) }),
  fc.record({ type: fc.constant('response'), class: fc.constantFrom('JwtResponse', 'AttachmentDeletedResponse'), code: fc.constant(200), body: fc.record({ jwt: fc.string(), exp: fc.nat(), attachmentId: fc.string() }) }),
  fc.record({ type: fc.constantFrom('response', 'message'), class: fc.constantFrom('Notification', 'PresenceEvent', 'structuredmessage', ''), code: fc.constant(200), body: fc.jsonValue({ maxDepth: 2 }) }),
);

const validFrame = fc.oneof(outboundText, typingEvent, inboundEcho, errorFrame, unsolicited);

// --- garbage ----------------------------------------------------------------------------------------------------

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The protocol's own end-of-chat signals are not garbage, however they are dressed: a SessionResponse, an expired or
 * cleared session, a closed connection, a logout, error codes 4006/4007, and the agent's Presence Disconnect. The
 * scenario specs cover them.
 */
function endsTheChat(data: unknown): boolean {
  let frame: unknown;
  try {
    frame = typeof data === 'string' ? JSON.parse(data) : undefined;
  } catch {
    return false;
  }
  if (!isObject(frame)) return false;
  const kind = frame.class;
  if (['SessionResponse', 'SessionExpiredEvent', 'SessionClearedEvent', 'ConnectionClosedEvent', 'LogoutEvent'].includes(kind as string)) return true;
  if (kind === 'string' && (frame.code === 4006 || frame.code === 4007)) return true;
  const events = isObject(frame.body) ? frame.body.events : undefined;
  return Array.isArray(events) && events.some((event) => isObject(event) && isObject(event.presence) && event.presence.type === 'Disconnect');
}

/** One garbage frame as the socket delivers it (`data` of a message event). */
const garbage: fc.Arbitrary<unknown> = fc
  .oneof(
    { weight: 1, arbitrary: notJson },
    { weight: 1, arbitrary: binaryData },
    { weight: 1, arbitrary: randomJson },
    { weight: 6, arbitrary: mutated(validFrame).map((frame) => JSON.stringify(frame) ?? 'null') },
    // Frames that are well formed, odd but harmless: unknown classes and events, inbound echoes, error codes.
    { weight: 2, arbitrary: validFrame.map((frame) => JSON.stringify(frame)) },
  )
  .filter((data) => !endsTheChat(data));

// --- the pure decoders ------------------------------------------------------------------------------------------

describe('fuzz: Genesys decoding (pure)', () => {
  it('parseFrame only ever throws MalformedFrameError, and what it accepts decodes without throwing into well-formed values', () => {
    const anyData = fc.oneof(garbage, validFrame.map((frame) => JSON.stringify(frame)), mutated(fc.record({ type: fc.constant('response'), class: fc.constant('SessionResponse'), code: fc.constant(200), body: fc.record({ connected: fc.boolean(), newSession: fc.boolean(), readOnly: fc.boolean(), allowedMedia: fc.record({ inbound: fc.record({ fileTypes: fc.array(fc.record({ type: fc.constantFrom('*/*', 'image/png', 'image/*') })), maxFileSizeKB: fc.nat() }) }) }) })).map((frame) => JSON.stringify(frame) ?? ''));
    fc.assert(
      fc.property(anyData, (data) => {
        let frame: WmInboundFrame;
        try {
          frame = parseFrame(data);
        } catch (error) {
          expect(error).toBeInstanceOf(MalformedFrameError);
          return;
        }
        if (frame.class === 'StructuredMessage') {
          const meaning = decodeOutbound(frame.body, 'Agent');
          if (meaning.kind === 'agentMessage') {
            expect(typeof meaning.id).toBe('string');
            expect(typeof meaning.text).toBe('string');
            expect(typeof meaning.sender.nickname).toBe('string');
            expect(typeof meaning.sender.key).toBe('string');
          }
          if (meaning.kind === 'agentMessage' || meaning.kind === 'botMessage') {
            for (const piece of meaning.content) {
              if (piece.kind === 'file' || piece.kind === 'image') expect(typeof piece.url).toBe('string');
              if (piece.kind === 'file' && piece.name !== undefined) expect(typeof piece.name).toBe('string');
              if (piece.kind === 'options') for (const option of piece.options) expect(typeof option.value).toBe('string');
            }
          }
          if (meaning.kind === 'typing') expect(meaning.durationMs).toBeGreaterThan(0);
        }
        if (frame.class === 'SessionResponse') {
          const caps = capabilitiesOf(frame.body);
          if (caps) {
            expect(typeof caps.allowFileUploads).toBe('boolean');
            expect(typeof caps.allowedFileUploadTypes).toBe('string');
            if (caps.maxFileSizeBytes !== undefined) expect(caps.maxFileSizeBytes).toBeGreaterThanOrEqual(0);
          }
        }
      }),
      fuzzOptions(5_000),
    );
  });

  it('senderOf, contentOf and historyEvents take any message shape without throwing', () => {
    const anyMessage = fc.oneof(mutated(outboundText.map((frame) => frame.body)), mutated(typingEvent.map((frame) => frame.body)), fc.jsonValue({ maxDepth: 3 }));
    // fetchHistoryPage lets through pages whose `entities` is an array; what is in it is anything.
    const pages = fc.array(fc.record({ entities: fc.array(anyMessage, { maxLength: 4 }), pageCount: wrongValue }), { maxLength: 3 });
    const attribute = fc.option(fc.constantFrom('rxId', '__proto__', 'toString'), { nil: undefined });
    fc.assert(
      fc.property(anyMessage, pages, attribute, (message, historyPages, messageIdAttribute) => {
        const asMessage = (isObject(message) ? message : {}) as unknown as WmStructuredMessage;
        expect(typeof senderOf(asMessage, 'Agent').nickname).toBe('string');
        for (const piece of contentOf(asMessage.content)) expect(['file', 'image', 'options']).toContain(piece.kind);
        for (const page of historyPages as unknown as WmHistoryPage[]) {
          const options = { botMessages: 'show' as const, agentFallbackName: 'Agent', ...(messageIdAttribute ? { messageIdAttribute } : {}) };
          for (const event of historyEvents(page, options)) {
            expect(event.type === 'agentMessage' ? typeof event.id : event.type === 'userMessageSeen' ? typeof event.messageId : event.type).toBe('string');
          }
        }
      }),
      fuzzOptions(1_000),
    );
  });
});

// --- whole frames through the adapter and the desk ----------------------------------------------------------------

const SESSION = { type: 'response', class: 'SessionResponse', code: 200, body: { connected: true, newSession: true } };
const VALID_NICK = 'Ann';
const agentSays = (id: string, text: string, at = 0) => ({
  type: 'message',
  class: 'StructuredMessage',
  code: 200,
  body: { id, type: 'Text', direction: 'Outbound', text, originatingEntity: 'Human', channel: { time: new Date(Date.UTC(2024, 0, 1) + at * 1000).toISOString(), from: { nickname: VALID_NICK } } },
});

/** Runs the virtual clock forward by `ms` (timers due by then run; later ones wait). */
function advance(scheduler: ReturnType<typeof virtualTime>['scheduler'], ms: number): void {
  const limit = scheduler.maxFrames;
  scheduler.maxFrames = scheduler.now() + ms;
  scheduler.flush();
  scheduler.maxFrames = limit;
}

/** What a server would keep in the history for a frame it sent: the body of a StructuredMessage-like frame. */
function storedBody(data: unknown): unknown[] {
  if (typeof data !== 'string') return [];
  try {
    const frame: unknown = JSON.parse(data);
    return isObject(frame) && frame.class === 'StructuredMessage' && isObject(frame.body) ? [frame.body] : [];
  } catch {
    return [];
  }
}

/**
 * A chat on a fake socket, in virtual time, through createServiceDesk and a recording Carbon host: started, its socket
 * open and `configureSession` sent. `history` is what the REST history answers after a reconnect.
 */
function openChat(history: unknown[] = []) {
  const clock = virtualTime();
  const timers = trackingScheduler(clock.scheduler);
  const sockets: BinaryFakeWebSocket[] = [];
  let ids = 0;
  const adapter = genesysWebMessaging({
    deploymentId: 'dep-1',
    domain: 'example.com',
    socketFactory: (url) => {
      const socket = new BinaryFakeWebSocket(url);
      sockets.push(socket);
      return socket;
    },
    randomId: () => `id-${++ids}`,
    fetch: async () => ({ ok: true, status: 200, json: async () => ({ entities: [...history].reverse(), pageSize: 25, pageNumber: 1, total: history.length, pageCount: 1 }) }),
    summary: false,
    endAction: 'close',
  });
  const logger = recordingLogger();
  const { desk, host } = deskOn(adapter, clock.scheduler, { logger, scheduler: timers.scheduler, retry: { initialDelayMs: 100, jitter: 0 } });
  void desk.startChat(connectMessage());
  const socket = sockets[0] as BinaryFakeWebSocket;
  socket.open();
  return { clock, timers, sockets, socket, desk, host, logger };
}

/** {@link openChat}, connected, with Ann's first message shown. */
function connectedChat(history: unknown[] = []) {
  const chat = openChat(history);
  chat.socket.receive(SESSION);
  chat.socket.receive(agentSays('valid-0', 'valid 0'));
  return chat;
}

describe('fuzz: Genesys frames through the adapter', () => {
  it('garbage is skipped: no exception, no error, no reconnect, and the next valid message is shown', () => {
    fc.assert(
      fc.property(fc.array(garbage, { minLength: 1, maxLength: 6 }), (frames) => {
        const chat = connectedChat();
        same(hostLog(chat.host), ['agentJoined(Ann)', 'sendMessageToUser(valid 0)'], 'the chat before the garbage');
        frames.forEach((data, index) => {
          if (typeof data === 'string') chat.socket.receive(data);
          else chat.socket.receiveData(data);
          const before = chat.host.calls.length;
          chat.socket.receive(agentSays(`valid-${index + 1}`, `valid ${index + 1}`));
          const shown = chat.host.calls.slice(before).filter((call) => call.method === 'sendMessageToUser');
          same(textsOf(shown), [`valid ${index + 1}`], `the valid message after garbage frame ${index}`);
          same(shown.map((call) => (call.args[0] as { id: string }).id), [`valid-${index + 1}`], 'its id');
        });
        same(hostLog(chat.host).filter((line) => /^(setErrorStatus|agentEndedChat)/.test(line)), [], 'error and end calls');
        same(chat.logger.errors, [], 'errors logged');
        same(chat.sockets.length, 1, 'sockets opened (a reconnect opens another)');
        same(hostCallProblems(chat.host.calls), [], 'malformed host calls');
        void chat.desk.endChat();
        chat.clock.flush();
        same([chat.socket.listenerCount(), chat.socket.readyState, chat.timers.live], [0, 3, 0], 'listeners, socket state and timers after endChat');
      }),
      fuzzOptions(4_000),
    );
  });

  it('after a drop, the messages missed are filled from a history full of garbage and odd times: each valid one once, in order', async () => {
    const live = fc.array(garbage, { minLength: 0, maxLength: 4 });
    const missed = fc.array(fc.oneof(garbage.map((data) => ({ garbage: data })), fc.constant({ valid: true })), { minLength: 1, maxLength: 5 });
    await fc.assert(
      fc.asyncProperty(live, missed, async (liveFrames, missedFrames) => {
        const history: unknown[] = [agentSays('valid-0', 'valid 0').body];
        const chat = connectedChat(history);
        const expected = ['valid 0'];
        let n = 0;
        const sayValid = (socket?: BinaryFakeWebSocket) => {
          n += 1;
          const frame = agentSays(`valid-${n}`, `valid ${n}`, n);
          history.push(frame.body);
          expected.push(`valid ${n}`);
          socket?.receive(frame);
        };
        for (const data of liveFrames) {
          history.push(...storedBody(data));
          if (typeof data === 'string') chat.socket.receive(data);
          else chat.socket.receiveData(data);
          sayValid(chat.socket);
        }
        chat.socket.drop();
        for (const step of missedFrames) {
          if ('garbage' in step) history.push(...storedBody(step.garbage));
          else sayValid();
        }
        advance(chat.clock.scheduler, 100);
        const again = chat.sockets[1];
        same(chat.sockets.length, 2, 'sockets after the retry');
        again?.open();
        again?.receive({ ...SESSION, body: { connected: true, newSession: false } });
        const jwt = again?.sentFrames().find((frame) => frame.action === 'getJwt');
        again?.receive({ type: 'response', class: 'JwtResponse', code: 200, body: { jwt: 'jwt', exp: 0 }, tracingId: jwt?.tracingId });
        for (let tick = 0; tick < 5; tick += 1) await new Promise((resolve) => setImmediate(resolve));
        const shown = textsOf(chat.host.calls);
        same(shown.filter((text) => /^valid \d+$/.test(text)), expected, 'valid messages shown');
        const ids = chat.host.callsOf('sendMessageToUser').map((call) => (call.args[0] as { id: string }).id);
        same(ids.length, new Set(ids).size, 'every message shown once');
        same(
          hostLog(chat.host).filter((line) => /^(setErrorStatus|notice|agentEndedChat)/.test(line)),
          ['notice(Connection lost. Reconnecting...)', 'notice(Connection restored.)'],
          'error and end calls',
        );
        same(chat.logger.errors, [], 'errors logged');
        same(hostCallProblems(chat.host.calls), [], 'malformed host calls');
        void chat.desk.endChat();
        chat.clock.flush();
        same([again?.listenerCount(), chat.timers.live], [0, 0], 'listeners and timers after endChat');
      }),
      fuzzOptions(300),
    );
  });

  it('a malformed SessionResponse still connects (its optional fields are only hints)', () => {
    const sessionResponse = mutated(
      fc.record({
        type: fc.constant('response'),
        class: fc.constant('SessionResponse'),
        code: fc.constant(200),
        body: fc.record({
          connected: fc.constant(true),
          newSession: fc.constant(true),
          maxCustomDataBytes: fc.nat(),
          allowedMedia: fc.record({ inbound: fc.record({ fileTypes: fc.array(fc.record({ type: fc.constantFrom('*/*', 'image/png') }), { maxLength: 2 }), maxFileSizeKB: fc.nat() }) }),
          blockedExtensions: fc.array(fc.string(), { maxLength: 2 }),
        }),
      }),
    ).filter((frame) => {
      // Only the optional fields are broken: `connected` and `newSession` keep their meaning.
      const body = isObject(frame) && isObject(frame.body) ? frame.body : undefined;
      return !!body && (frame as Json).class === 'SessionResponse' && (frame as Json).code === 200 && body.connected === true && body.newSession === true;
    });
    fc.assert(
      fc.property(sessionResponse, (frame) => {
        const chat = openChat();
        chat.socket.receive(frame as object);
        chat.socket.receive(agentSays('valid-1', 'valid 1'));
        same(hostLog(chat.host), ['agentJoined(Ann)', 'sendMessageToUser(valid 1)'], 'the chat after the SessionResponse');
        same(chat.sockets.length, 1, 'sockets opened (a retry opens another)');
        same((chat.host.persisted as { resume?: { session?: { token?: string } } } | undefined)?.resume?.session?.token, 'id-1', 'the persisted session token');
        same(chat.logger.errors, [], 'errors logged');
        same(hostCallProblems(chat.host.calls), [], 'malformed host calls');
        void chat.desk.endChat();
        chat.clock.flush();
      }),
      fuzzOptions(500),
    );
  });
});

describe('regressions found by this fuzzing (plain cases)', () => {
  it.each([
    ['content that is not an array (the text is still shown)', JSON.stringify({ ...agentSays('odd-1', 'odd'), body: { ...agentSays('odd-1', 'odd').body, content: {} } }), ['sendMessageToUser(odd)']],
    ['events that are not an array', JSON.stringify({ type: 'message', class: 'StructuredMessage', code: 200, body: { id: 'odd-2', type: 'Event', direction: 'Outbound', events: {} } }), []],
    ['a class named __proto__', JSON.stringify({ type: 'message', class: '__proto__', code: 200, body: {} }), []],
  ])('%s: no reconnect, and the next message is shown', (_what, data, shown) => {
    const chat = connectedChat();
    chat.socket.receive(data);
    chat.socket.receive(agentSays('valid-1', 'valid 1'));
    expect(hostLog(chat.host)).toEqual(['agentJoined(Ann)', 'sendMessageToUser(valid 0)', ...shown, 'sendMessageToUser(valid 1)']);
    expect(chat.sockets).toHaveLength(1);
  });

  it('a SessionResponse whose fileTypes is not an array connects at the first attempt', () => {
    const chat = openChat();
    chat.socket.receive({ ...SESSION, body: { connected: true, newSession: true, allowedMedia: { inbound: { fileTypes: 'image/png', maxFileSizeKB: 10 } } } });
    chat.socket.receive(agentSays('valid-1', 'valid 1'));
    expect(hostLog(chat.host)).toEqual(['agentJoined(Ann)', 'sendMessageToUser(valid 1)']);
    expect(chat.sockets).toHaveLength(1);
    void chat.desk.endChat();
  });
});
