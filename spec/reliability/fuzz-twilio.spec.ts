/**
 * Fuzzing of both Twilio adapters (Programmable Chat and Conversations) with fast-check: malformed SDK payloads for
 * every decoder, then whole event sequences through the adapter, the fake SDK and createServiceDesk in virtual time.
 * Properties: nothing escapes to the host (no error status, no ended chat, no reconnect, no error logged), and the
 * valid events between the garbage still reach the host, each once and in order.
 *
 * On failure fast-check prints the seed and path; replay with `fc.assert(..., { seed, path })`. Set
 * TWILIO_FUZZ_SCALE=10 for a longer local run.
 */
import fc from 'fast-check';
import { channelDecoders, chatClientDecoders, decodeChatMessage } from '../../lib/adapters/twilio-chat/decode';
import { conversationDecoders, conversationsClientDecoders, decodeConversationsMessage } from '../../lib/adapters/twilio-conversations/decode';
import { sharedClientDecoders, type ClientSignal } from '../../lib/adapters/twilio-common/connection';
import type { MessageInfo, TwilioInput } from '../../lib/adapters/twilio-common/types';
import { decodeEmitter, type Decoders } from '../../lib/core/emitter';
import { ServiceDeskError } from '../../lib/core/errors';
import { createLogger, type LogSink } from '../../lib/core/logger';
import { FakeEmitter, trackingScheduler } from '../../lib/testing';
import type { Attachment } from '../../lib/core/events';
import type { HostMessageResponse } from '../../lib/host/types';
import { CONNECT, kitDesk, type TwilioKit } from '../adapters/twilio-common/kit';
import { chatKit, conversationsKit } from '../adapters/twilio-common/kits';
import { runs as sample } from '../support/runs';
import { virtualTime } from '../support/virtual';
import { anyMessage, anyParticipant, anyPayload, anyText, anyUpdate } from './twilio-payloads';

const SCALE = Number(process.env.TWILIO_FUZZ_SCALE ?? 1);
const runs = (count: number) => sample(count * SCALE);

/** What one adapter exposes to the fuzzer. */
interface FuzzTarget {
  readonly kit: TwilioKit;
  readonly target: Decoders<TwilioInput>;
  readonly client: Decoders<ClientSignal>;
  readonly message: (payload: never) => MessageInfo;
  /** The payload key of a member/participant in `…Updated` and of the target in `updated`. */
  readonly who: string;
}

const ADAPTERS: readonly FuzzTarget[] = [
  { kit: chatKit, target: channelDecoders(), client: { ...sharedClientDecoders, ...chatClientDecoders }, message: decodeChatMessage, who: 'member' },
  {
    kit: conversationsKit,
    target: conversationDecoders(),
    client: { ...sharedClientDecoders, ...conversationsClientDecoders },
    message: decodeConversationsMessage,
    who: 'participant',
  },
];

/** Event names neither decoder map listens to (other SDK's names, events we ignore, random names). */
const anyUnknownName = (known: readonly string[]) =>
  fc
    .oneof(
      fc.constantFrom('participantJoined', 'memberJoined', 'messageUpdated', 'messageRemoved', 'userUpdated', 'channelAdded', 'conversationAdded', 'pushNotification', 'toString', '__proto__'),
      fc.string(),
    )
    .filter((name) => !known.includes(name));

// --- checks of decoded values -----------------------------------------------------------------------------------

const isText = (value: unknown): value is string => typeof value === 'string';
const isOptionalText = (value: unknown) => value === undefined || isText(value);

function checkParticipant(who: unknown): void {
  expect(typeof who === 'object' && who !== null && isText((who as { sid?: unknown }).sid)).toBe(true);
}

/** Runs a media loader (fakes settle at once) and checks the attachments it answers, or that it fails. */
function checkAttachments(load: () => PromiseLike<Attachment[]>): void {
  let outcome: { ok: true; value: unknown } | { ok: false } | undefined;
  let loaded: PromiseLike<Attachment[]> | undefined;
  try {
    loaded = load();
  } catch {
    outcome = { ok: false };
  }
  loaded?.then(
    (value) => (outcome = { ok: true, value }),
    () => (outcome = { ok: false }),
  );
  if (!outcome?.ok) return;
  expect(Array.isArray(outcome.value)).toBe(true);
  for (const attachment of outcome.value as unknown[]) {
    const { url, name, mimeType, size } = attachment as Record<string, unknown>;
    expect(isText(url)).toBe(true);
    expect(isOptionalText(name) && isOptionalText(mimeType)).toBe(true);
    expect(size === undefined || Number.isFinite(size)).toBe(true);
  }
}

function checkMessage(message: MessageInfo): void {
  expect(isText(message.sid)).toBe(true);
  // The index is compared, stored as the read horizon and persisted as JSON: it must be a finite number.
  expect(Number.isFinite(message.index)).toBe(true);
  expect(isOptionalText(message.author)).toBe(true);
  expect(isText(message.text)).toBe(true);
  if (message.attachments) checkAttachments(message.attachments);
}

function checkInput(input: TwilioInput): void {
  switch (input.kind) {
    case 'joined':
    case 'left':
    case 'typing':
    case 'read':
      checkParticipant(input.who);
      if (input.kind === 'typing') expect(typeof input.isTyping).toBe('boolean');
      return;
    case 'message':
      checkMessage(input.message);
      return;
    case 'ended':
      expect(['statusAttribute', 'closedState', 'inactiveState', 'removed']).toContain(input.signal);
      expect(isText(input.reason)).toBe(true);
      return;
    default:
      throw new Error(`a decoder produced an input only the adapter may make: ${input.kind}`);
  }
}

function checkSignal(signal: ClientSignal): void {
  switch (signal.kind) {
    case 'init':
      expect(typeof signal.ok).toBe('boolean');
      expect(signal.terminal === undefined || typeof signal.terminal === 'boolean').toBe(true);
      expect(isOptionalText(signal.message)).toBe(true);
      return;
    case 'state':
      expect(isText(signal.state)).toBe(true);
      return;
    case 'error':
      expect(typeof signal.terminal).toBe('boolean');
      expect(isText(signal.message)).toBe(true);
      return;
    case 'token':
      expect(['aboutToExpire', 'expired']).toContain(signal.reason);
      return;
    case 'removed':
      expect(isText(signal.sid)).toBe(true);
      return;
  }
}

/**
 * Calls a decoder as decodeEmitter does: it may throw what it likes but a ServiceDeskError (that one ends the
 * session on purpose), and whatever it returns must be well formed.
 */
function decodeSafely<T>(decode: (payload: never) => T | readonly T[] | undefined, payload: unknown, check: (value: T) => void): void {
  let out: T | readonly T[] | undefined;
  try {
    out = decode(payload as never);
  } catch (error) {
    expect(error).not.toBeInstanceOf(ServiceDeskError);
    return;
  }
  if (out === undefined) return;
  for (const value of (Array.isArray(out) ? out : [out]) as T[]) check(value);
}

/** Whether a value survives JSON unchanged: strings, finite numbers, booleans, null, arrays and plain objects of them. */
function isJsonSafe(value: unknown): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isJsonSafe);
  if (typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) return false;
  return Object.values(value).every(isJsonSafe);
}

/** A logger at debug level (so that every context is redacted and written), counting error lines. */
function countingLogger() {
  const counts = { error: 0, lines: 0 };
  const sink: LogSink = {
    debug: () => void (counts.lines += 1),
    info: () => void (counts.lines += 1),
    warn: () => void (counts.lines += 1),
    error: () => void (counts.error += 1),
  };
  return { counts, logger: createLogger({ level: 'debug', sink }) };
}

// --- whole sequences through the adapter --------------------------------------------------------------------------

type Step =
  | { readonly kind: 'garbage'; readonly on: 'target' | 'client'; readonly event: string; readonly payload: unknown }
  | { readonly kind: 'join' | 'leave'; readonly who: number }
  | { readonly kind: 'typing'; readonly who: number; readonly isTyping: boolean }
  | { readonly kind: 'read'; readonly who: number; readonly index: number }
  | { readonly kind: 'message'; readonly who: number; readonly index: number; readonly again: boolean }
  | { readonly kind: 'oddMember'; readonly variant: 'noIdentity' | 'nullAttributes' | 'textAttributes'; readonly name: string };

/**
 * A payload that would legitimately end or fail the chat (an end signal, a terminal error, our own removal, a
 * connection state) is not garbage: the fuzzer leaves those to the scenario and chaos specs. Strings and keys are
 * looked at, functions are not.
 */
const END_WORDS = /inactive|closed|terminal|CH0001/i;
const STATES = new Set(['connecting', 'disconnecting', 'disconnected', 'retrying', 'error', 'denied']);
function isGarbage(payload: unknown, depth = 0): boolean {
  if (typeof payload === 'string') return !END_WORDS.test(payload) && !STATES.has(payload);
  if (typeof payload !== 'object' || payload === null || depth > 4) return true;
  const entries: unknown[] =
    payload instanceof Map ? [...payload.entries()].flat() : payload instanceof Set ? [...payload] : Object.entries(payload).flat();
  return entries.every((entry) => isGarbage(entry, depth + 1));
}

/** fast-check's report with long string literals shortened (a 200 kB body would bury the seed and the cause). */
function readable<T>(numRuns: number): fc.Parameters<T> {
  return {
    numRuns,
    reporter: (details) => {
      if (!details.failed) return;
      const message = (fc.defaultReportMessage(details) ?? '').replace(/"(?:[^"\\\n]|\\.){120,}"/g, (literal) => `${literal.slice(0, 60)}…" (${literal.length} chars)`);
      throw new Error(message, { cause: details.errorInstance });
    },
  };
}

function stepArbitrary(adapter: FuzzTarget): fc.Arbitrary<Step> {
  const targetNames = Object.keys(adapter.target).filter((name) => name !== 'removed');
  const clientNames = Object.keys(adapter.client);
  const known = [...Object.keys(adapter.target), ...clientNames];
  const who = fc.integer({ min: 0, max: 1 });
  const garbage = (on: 'target' | 'client', names: fc.Arbitrary<string>) =>
    fc.record({ kind: fc.constant('garbage' as const), on: fc.constant(on), event: names, payload: anyPayload.filter(isGarbage) });
  return fc.oneof(
    { arbitrary: garbage('target', fc.constantFrom(...targetNames)), weight: 6 },
    { arbitrary: garbage('client', fc.constantFrom(...clientNames)), weight: 2 },
    { arbitrary: garbage('target', anyUnknownName(known)), weight: 1 },
    { arbitrary: garbage('client', anyUnknownName(known)), weight: 1 },
    { arbitrary: fc.record({ kind: fc.constantFrom('join' as const, 'leave' as const), who }), weight: 2 },
    { arbitrary: fc.record({ kind: fc.constant('typing' as const), who, isTyping: fc.boolean() }), weight: 1 },
    { arbitrary: fc.record({ kind: fc.constant('read' as const), who, index: fc.integer({ min: -1, max: 20 }) }), weight: 1 },
    // Indexes out of order, and the same message delivered again. Twilio numbers each message once (two messages
    // never share an index), and the engine relies on it (see AdapterEvent's `index`): the drawn index is spread by
    // the message's position (sequences hold at most 25 steps) so that distinct messages stay distinct while arriving
    // out of order, within the engine's index window.
    { arbitrary: fc.record({ kind: fc.constant('message' as const), who, index: fc.integer({ min: 0, max: 20 }), again: fc.boolean() }), weight: 4 },
    {
      arbitrary: fc.record({ kind: fc.constant('oddMember' as const), variant: fc.constantFrom('noIdentity' as const, 'nullAttributes' as const, 'textAttributes' as const), name: anyText }),
      weight: 1,
    },
  );
}

const SENTINEL = 'IMV-sentinel';

async function runSequence(adapter: FuzzTarget, steps: readonly Step[]): Promise<void> {
  const clock = virtualTime();
  const timers = trackingScheduler(clock.scheduler);
  const { counts, logger } = countingLogger();
  const s = kitDesk(clock, adapter.kit, { endWhenAgentLeaves: false }, {}, { scheduler: timers.scheduler, logger });
  const agents = [s.world.agent('Ann'), s.world.agent('Bob')];
  const sent: { sid: string; message: ReturnType<typeof s.world.target.createMessage> }[] = [];
  const expected: string[] = [];
  let started: 'pending' | 'resolved' | 'rejected' = 'pending';
  s.desk.startChat(CONNECT).then(
    () => (started = 'resolved'),
    () => (started = 'rejected'),
  );
  const play = (step: Step) => {
    const target = s.world.target;
    switch (step.kind) {
      case 'garbage':
        (step.on === 'target' ? target : s.world.client!).emit(step.event, step.payload);
        return;
      case 'join':
        target.add(agents[step.who]!);
        return;
      case 'leave':
        target.remove(agents[step.who]!);
        return;
      case 'typing':
        target.setTyping(agents[step.who]!, step.isTyping);
        return;
      case 'read':
        target.read(agents[step.who]!, step.index);
        return;
      case 'message': {
        const previous = sent[sent.length - 1];
        if (step.again && previous) {
          target.deliver(previous.message);
          return;
        }
        const message = target.createMessage(agents[step.who]!.identity as string, `valid ${sent.length}`, step.index * 100 + sent.length);
        const sid = `IMV${sent.length}`;
        Object.assign(message, { sid });
        sent.push({ sid, message });
        expected.push(sid);
        target.deliver(message);
        return;
      }
      case 'oddMember': {
        const odd = s.world.agent('Odd', { friendlyName: step.name });
        if (step.variant === 'noIdentity') odd.identity = null;
        if (step.variant === 'nullAttributes') odd.attributes = null;
        if (step.variant === 'textAttributes') odd.attributes = '{not json';
        target.add(odd);
        return;
      }
    }
  };
  steps.forEach((step, i) => clock.at(10 + i * 3, () => play(step)));
  clock.at(10 + steps.length * 3, () => {
    const sentinel = s.world.target.createMessage('ann', 'sentinel', 1_000_000);
    Object.assign(sentinel, { sid: SENTINEL });
    s.world.target.deliver(sentinel);
  });
  clock.flush();
  await Promise.resolve();

  expect(started).toBe('resolved');
  expect(s.host.methods()).not.toContain('setErrorStatus');
  expect(s.host.methods()).not.toContain('agentEndedChat');
  // A fault inside the pipeline shows as a retried connection: a second client.
  expect(s.world.clients).toHaveLength(1);
  expect(counts.error).toBe(0);
  const shown = s.host.callsOf('sendMessageToUser').map((call) => (call.args[0] as { id: string }).id);
  expect(shown.filter((id) => id.startsWith('IMV'))).toEqual([...expected, SENTINEL]);
  expect(shown[shown.length - 1]).toBe(SENTINEL);
  // Whatever reaches the user says something: no empty message.
  for (const call of s.host.callsOf('sendMessageToUser')) expect((call.args[0] as HostMessageResponse).output.generic?.length).toBeGreaterThan(0);
  // The persisted state survives a page reload (JSON), and the read horizon is a real index.
  for (const call of s.host.callsOf('updatePersistedState')) expect(isJsonSafe(call.args[0])).toBe(true);
  void s.desk.userReadMessages();
  clock.flush();
  const marked = s.world.target.callsOf(adapter.kit.markReadMethod);
  expect(marked.length).toBeGreaterThan(0);
  expect(Number.isFinite(marked[marked.length - 1]![0])).toBe(true);

  const ended = s.desk.endChat();
  clock.flush();
  await ended;
  expect(s.world.listenerCount()).toBe(0);
  expect(timers.live).toBe(0);
}

for (const adapter of ADAPTERS) {
  const { kit } = adapter;
  describe(`fuzz ${kit.name}: decoders`, () => {
    it('target decoders: any payload is skipped or decoded into a well-formed input', () => {
      const names = Object.keys(adapter.target);
      fc.assert(
        fc.property(fc.constantFrom(...names), anyPayload, (name, payload) => decodeSafely(adapter.target[name]!, payload, checkInput)),
        readable(runs(3_000)),
      );
    });

    it(`read-horizon updates (${adapter.who}): only a real member makes a read input`, () => {
      const updated = Object.keys(adapter.target).find((name) => name.endsWith('Updated'))!;
      fc.assert(
        fc.property(anyUpdate, anyParticipant, (update, who) =>
          decodeSafely(adapter.target[updated]!, { ...(update as object), [adapter.who]: who }, checkInput),
        ),
        readable(runs(1_000)),
      );
    });

    it('client decoders: any payload is skipped or decoded into a well-formed signal', () => {
      const names = Object.keys(adapter.client);
      fc.assert(
        fc.property(fc.constantFrom(...names), anyPayload, (name, payload) => decodeSafely(adapter.client[name]!, payload, checkSignal)),
        readable(runs(2_000)),
      );
    });

    it('message decoder: any message is rejected or read with a sid, a finite index, text, and well-formed media', () => {
      fc.assert(
        fc.property(anyMessage, (message) => decodeSafely(adapter.message, message, checkMessage)),
        readable(runs(2_000)),
      );
    });

    it('decodeEmitter: garbage on any event, then a valid message: the message comes out, the stream never errors', () => {
      const names = [...Object.keys(adapter.target), 'somethingElse'];
      fc.assert(
        fc.property(fc.array(fc.tuple(fc.constantFrom(...names), anyPayload.filter(isGarbage)), { maxLength: 8 }), (garbage) => {
          const emitter = new FakeEmitter();
          const { counts, logger } = countingLogger();
          const out: TwilioInput[] = [];
          let failed: unknown;
          const subscription = decodeEmitter(emitter, adapter.target, logger).subscribe({ next: (input) => out.push(input), error: (error) => (failed = error) });
          for (const [name, payload] of garbage) if (name !== 'removed') emitter.emit(name, payload);
          emitter.emit('messageAdded', { sid: 'IMV1', index: 1, author: 'ann', body: 'still here', type: 'text', attributes: {} });
          subscription.unsubscribe();
          expect(failed).toBeUndefined();
          expect(counts.error).toBe(0);
          expect(out[out.length - 1]).toEqual({ kind: 'message', message: { sid: 'IMV1', index: 1, author: 'ann', text: 'still here' } });
          expect(emitter.listenerCount()).toBe(0);
        }),
        readable(runs(1_000)),
      );
    });
  });

  describe(`fuzz ${kit.name}: whole event sequences through the desk`, () => {
    it('garbage interleaved with valid events: no error reaches the host, every valid message is shown once and in order', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(stepArbitrary(adapter), { minLength: 1, maxLength: 25 }), (steps) => runSequence(adapter, steps)),
        readable(runs(1_000)),
      );
    });
  });
}
