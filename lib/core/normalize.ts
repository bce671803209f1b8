import type { OperatorFunction } from 'rxjs';
import type { Agent, DomainEvent, DomainEventType, EventOf } from './events.js';
import { createSeenIds } from './engine/seen.js';
import { flatScan } from './operators.js';

/** Where a normalised session starts (with a known agent when it resumes after a page reload), and what to do with
 * a malformed event. */
export interface NormalizeStart {
  agent?: Agent;
  /** Whether to drop duplicate agent messages by id. Default `true`; off when the adapter already does (the engine). */
  dedupe?: boolean;
  /** Called with each malformed event, which is dropped (default: dropped silently). */
  onMalformed?: (event: unknown) => void;
}

const isText = (value: unknown): value is string => typeof value === 'string';
const isAgent = (value: unknown): value is Agent =>
  typeof value === 'object' && value !== null && isText((value as Agent).id) && isText((value as Agent).nickname);

/**
 * Whether a domain event has the fields the library reads, of the right types: a broken event from an adapter must
 * not change the session's state (a join without an agent would make the real join look like a transfer).
 *
 * @example
 * isWellFormed({ type: 'agentJoined', agent: { id: 'a1', nickname: 'Ann' } }); // true
 * isWellFormed({ type: 'agentJoined' }); // false
 */
export function isWellFormed(event: unknown): event is DomainEvent {
  if (typeof event !== 'object' || event === null) return false;
  const e = event as Record<string, unknown>;
  switch (e.type) {
    case 'agentMessage':
      return isWellFormedMessage(e);
    case 'agentTyping':
      return isWellFormedTyping(e);
    case 'agentJoined':
      return isAgent(e.agent);
    case 'transferStarted':
      return e.agent === undefined || isAgent(e.agent);
    case 'agentLeft':
      return e.agentId === undefined || isText(e.agentId);
    case 'queueUpdate':
      return (e.position === undefined || typeof e.position === 'number') && (e.waitMinutes === undefined || typeof e.waitMinutes === 'number');
    case 'messageSent':
    case 'messageFailed':
      return isText(e.messageId);
    case 'fileUploadStatus':
      return isText(e.fileId);
    case 'capabilities':
      return typeof e.capabilities === 'object' && e.capabilities !== null;
    case 'sessionFailed':
      return e.error instanceof Error;
    case 'connected':
    case 'chatEnded':
    case 'agentRead':
    case 'screenShareRequested':
    case 'screenShareEnded':
    case 'connectionLost':
    case 'connectionRestored':
    case 'persist':
      return true;
    default:
      return false;
  }
}

/** {@link isWellFormed} of an event whose type is `agentMessage`. */
const isWellFormedMessage = (e: Record<string, unknown>): boolean =>
  isText(e.id) &&
  isText(e.text) &&
  (e.agentId === undefined || isText(e.agentId)) &&
  (e.attachments === undefined || Array.isArray(e.attachments)) &&
  (e.content === undefined || Array.isArray(e.content));

/** {@link isWellFormed} of an event whose type is `agentTyping`. */
const isWellFormedTyping = (e: Record<string, unknown>): boolean => typeof e.isTyping === 'boolean';

/**
 * Where the normaliser hands its events: with their `type` when the caller knows it. `type` is the one field every
 * event shape has, so each place that reads it from all of them is a megamorphic property load; reading it once and
 * passing it on took about 10 ns off each event (docs/performance.md, section 1).
 */
export type NormalizedEmit = (event: DomainEvent, type?: DomainEventType) => void;

/** The step function of {@link createNormalizer}. */
export type NormalizerStep = (event: DomainEvent, emit: NormalizedEmit) => void;

/** How many agent message ids a session remembers (at most) to drop duplicates; at least half as many are kept. */
export const SEEN_MESSAGE_LIMIT = 2_000;

/**
 * The session state machine, the same for every adapter. It turns what adapters report into what the user must see:
 * - a first `agentJoined` is a join; a different agent joining later is a transfer (`transferStarted` is added
 *   when the adapter did not send one), and the agent who leaves during a transfer is not announced;
 * - an agent message is shown once (by id), whatever the vendor replays after a reconnect, and never empty;
 * - typing and read receipts only while an agent is present; typing stops before that agent's message, before
 *   they leave, when the connection drops and when the chat ends;
 * - `connected` once; a later `connected` after a `connectionLost` becomes `connectionRestored`;
 * - queue updates only while no agent is present.
 *
 * @example
 * adapterEvents$.pipe(normalize()) // agentJoined(Ann), agentJoined(Ann) -> one agentJoined(Ann)
 */
export function normalize(start: NormalizeStart = {}): OperatorFunction<DomainEvent, DomainEvent> {
  return flatScan(() => createNormalizer(start));
}

/**
 * The step function behind {@link normalize}, with its own state: call it with each event and an `emit` for the
 * results. The desk runs it as a plain function on its hot path.
 *
 * @example
 * const step = createNormalizer();
 * step({ type: 'agentJoined', agent: ann }, (event) => show(event.type)); // agentJoined
 */
export function createNormalizer(start: NormalizeStart = {}): NormalizerStep {
  let connected = false;
  let agent = start.agent;
  let present = agent !== undefined;
  let everJoined = present;
  let transferring = false;
  let typing = false;
  let lost = false;
  const seen = start.dedupe === false ? undefined : createSeenIds(SEEN_MESSAGE_LIMIT);

  const stopTyping = (emit: NormalizedEmit) => {
    if (!typing) return;
    typing = false;
    emit({ type: 'agentTyping', isTyping: false }, 'agentTyping');
  };

  /** Every event but the hot ones below. */
  const other = (event: unknown, emit: NormalizedEmit) => {
    if (!isWellFormed(event)) {
      start.onMalformed?.(event);
      return;
    }
    switch (event.type) {
      case 'connected':
        if (!connected) {
          connected = true;
          emit(event);
        } else if (lost) {
          lost = false;
          emit({ type: 'connectionRestored' });
        }
        return;
      case 'queueUpdate':
        if (!present) emit(event);
        return;
      case 'agentJoined': {
        const same = agent !== undefined && event.agent.id === agent.id;
        if (same && present && !transferring) return;
        stopTyping(emit);
        if (everJoined && !same && !transferring) emit({ type: 'transferStarted', agent: event.agent });
        agent = event.agent;
        present = true;
        everJoined = true;
        transferring = false;
        emit(event);
        return;
      }
      case 'transferStarted':
        if (!everJoined) return;
        stopTyping(emit);
        transferring = true;
        emit(event);
        return;
      case 'agentLeft':
        if (!present || (event.agentId !== undefined && agent !== undefined && event.agentId !== agent.id)) return;
        stopTyping(emit);
        present = false;
        if (!transferring) emit(event);
        return;
      case 'chatEnded':
      case 'sessionFailed':
        stopTyping(emit);
        emit(event);
        return;
      case 'agentRead':
      case 'screenShareRequested':
      case 'screenShareEnded':
        // Only with an agent in the chat (a request from nobody is dropped).
        if (present) emit(event);
        return;
      case 'connectionLost':
        if (lost) return;
        lost = true;
        stopTyping(emit);
        emit(event);
        return;
      case 'connectionRestored':
        if (!lost) return;
        lost = false;
        emit(event);
        return;
      default:
        emit(event);
    }
  };

  // The hot lane: agent messages and typing, most of the traffic, with one read of `type` and a step small enough
  // for V8 to inline; everything else goes through `other`.
  return (event, emit) => {
    const type = (event as Partial<DomainEvent> | null)?.type;
    if (type === 'agentMessage') {
      if (!isWellFormedMessage(event as unknown as Record<string, unknown>)) {
        start.onMalformed?.(event);
        return;
      }
      const message = event as EventOf<'agentMessage'>;
      if (!message.text && !message.attachments?.length && !message.content?.length) return;
      if (seen && !seen.add(message.id)) return;
      if (message.agentId === undefined || message.agentId === agent?.id) stopTyping(emit);
      emit(message, type);
    } else if (type === 'agentTyping') {
      if (!isWellFormedTyping(event as unknown as Record<string, unknown>)) {
        start.onMalformed?.(event);
        return;
      }
      const typingEvent = event as EventOf<'agentTyping'>;
      if (!present || typingEvent.isTyping === typing) return;
      typing = typingEvent.isTyping;
      emit(typingEvent, type);
    } else other(event, emit);
  };
}
