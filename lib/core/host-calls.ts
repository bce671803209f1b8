import type { Dialect } from '../host/dialect.js';
import type { Binder } from './bind.js';
import { ErrorType, type HostCallback } from '../host/types.js';
import type { DomainEvent, DomainEventType, EventOf } from './events.js';

/** The callback methods the binder may call. */
export type HostMethod = Exclude<keyof HostCallback, 'persistedState'>;

/** How a {@link HostCall} ended: the host's value, or its error, or `missing` when the host has no such method. */
export interface HostCallOutcome {
  readonly value?: unknown;
  readonly error?: unknown;
  readonly missing?: boolean;
}

/**
 * One host callback call, as data: the method and its arguments. A `detached` call does not hold the calls after it
 * (the screen-share modal waits for the user); `settled` gets its outcome.
 */
export type HostCall = {
  [M in HostMethod]: {
    readonly method: M;
    readonly args: Parameters<NonNullable<HostCallback[M]>>;
    readonly detached?: boolean;
    readonly settled?: (outcome: HostCallOutcome) => void;
  };
}[HostMethod];

/**
 * Texts the library shows the user itself, as status lines (not agent messages). Everything else the user reads
 * about the agent chat ("Ann joined", "You disconnected from the live agent", the waiting line when only one figure
 * is known) is the host's own text: localise those through the host's language pack (Carbon AI Chat: `strings`).
 */
export interface UserTexts {
  /** Shown when the connection to the agent drops after the join, while the library reconnects. Empty: the host's own disconnected status instead. */
  connectionLost: string;
  /** Shown when the connection is back after {@link UserTexts.connectionLost}. */
  connectionRestored: string;
  /** Shown when the connection to the agent could not be restored and the chat ends. */
  connectionEnded: string;
  /** Given to the host as `messageToUser` when no agent could be reached. */
  couldNotConnect: string;
  /** Shown on hosts that cannot mark one failed message (watsonx web chat) when a user message was not delivered. */
  messageNotDelivered: string;
  /**
   * Shown when the user writes to an agent but this desk never ran a chat (the host lost track, e.g. after a reload it
   * could not resume). After a chat of this desk ended the host already knows, and nothing is shown.
   */
  noChatRunning: string;
  /**
   * The waiting line when both the queue position and the wait are known. Both hosts show only one of wait, position
   * and message (the wait first), so the library says both in the message. Return `undefined` to send the figures
   * as they are (the host then shows the wait alone).
   */
  queueStatus: (position: number, waitMinutes: number) => string | undefined;
}

/** The default {@link UserTexts}. */
export const DEFAULT_TEXTS: Readonly<UserTexts> = {
  connectionLost: 'Connection lost. Reconnecting...',
  connectionRestored: 'Connection restored.',
  connectionEnded: 'The connection to the agent was lost and the chat has ended. You can ask for an agent again.',
  couldNotConnect: 'We could not connect you to an agent. Please try again in a moment.',
  messageNotDelivered: 'Your last message could not be delivered to the agent. Please send it again.',
  noChatRunning: 'Your message was not sent: the chat with the agent is no longer running. You can ask for an agent again.',
  queueStatus: (position, waitMinutes) =>
    `You are number ${position} in line. The wait is about ${waitMinutes} ${waitMinutes === 1 ? 'minute' : 'minutes'}.`,
};

/** A queue update as the host should get it: position and wait said together in the message when both are known. */
function queueShown(event: EventOf<'queueUpdate'>, texts: UserTexts): EventOf<'queueUpdate'> {
  if (event.position === undefined || event.waitMinutes === undefined || event.message !== undefined) return event;
  const message = texts.queueStatus(event.position, event.waitMinutes);
  return message ? { type: 'queueUpdate', message } : event;
}

const call = <M extends HostMethod>(method: M, ...args: Parameters<NonNullable<HostCallback[M]>>) =>
  ({ method, args }) as HostCall;

/**
 * The hot calls (agent messages, typing) of {@link createHostMapper} made without a {@link HostCall} object, when
 * given: the binder's `message` and `typing`.
 */
export type HostDirect = Pick<Binder, 'message' | 'typing'>;

/**
 * The step function of {@link createHostMapper}: `type` is `event.type` when the caller has read it already (see
 * `NormalizedEmit`).
 */
export type HostMapperStep = (event: DomainEvent, emit: (call: HostCall) => void, type?: DomainEventType) => void;

/**
 * Turns the normalised domain events of a session into host callback calls, in the host's dialect: a step function
 * with its own state, for the desk's hot path. It tracks the two facts the mapping depends on: whether the session
 * connected and whether an agent joined (Carbon AI Chat treats a DISCONNECTED error before the join as a failure to
 * connect, so it is not sent then). With `direct`, agent messages and typing are made through it instead of emitted
 * as {@link HostCall} objects.
 *
 * @example
 * const step = createHostMapper(dialectFor('carbon'));
 * step({ type: 'agentTyping', isTyping: true }, (call) => show(call.method)); // agentTyping
 */
export function createHostMapper(dialect: Dialect, texts: UserTexts = DEFAULT_TEXTS, direct?: HostDirect): HostMapperStep {
  let connected = false;
  let joined = false;
  let lostShown = false;
  let agentId: string | undefined;
  let notices = 0;
  const notice = (text: string) => dialect.notice(`rx-service-desk-notice-${++notices}`, text);
  const restored = (): HostCall =>
    texts.connectionLost
      ? call('sendMessageToUser', notice(texts.connectionRestored))
      : call('setErrorStatus', { type: ErrorType.DISCONNECTED, isDisconnected: false });
  /** Every event but agent messages and typing. */
  const other = (event: DomainEvent, emit: (call: HostCall) => void) => {
    switch (event.type) {
      case 'connected':
        connected = true;
        break;
      case 'queueUpdate':
        emit(call('updateAgentAvailability', dialect.availability(queueShown(event, texts))));
        break;
      case 'agentJoined': {
        joined = true;
        agentId = event.agent.id;
        const profile = dialect.profile(event.agent);
        emit(call('agentJoined', profile));
        if (dialect.persistsState) emit(call('updatePersistedState', { agent: event.agent }));
        break;
      }
      case 'transferStarted':
        emit(event.agent ? call('beginTransferToAnotherAgent', dialect.profile(event.agent)) : call('beginTransferToAnotherAgent'));
        break;
      case 'agentLeft':
        emit(call('agentLeftChat'));
        break;
      case 'chatEnded':
        emit(call('agentEndedChat'));
        break;
      case 'agentRead':
        emit(call('agentReadMessages'));
        break;
      case 'screenShareRequested':
        emit({ method: 'screenShareRequest', args: [], detached: true });
        break;
      case 'screenShareEnded':
        emit(call('screenShareEnded'));
        break;
      case 'connectionLost':
        if (joined && !lostShown) {
          lostShown = true;
          emit(
            texts.connectionLost
              ? call('sendMessageToUser', notice(texts.connectionLost))
              : call('setErrorStatus', { type: ErrorType.DISCONNECTED, isDisconnected: true }),
          );
        }
        break;
      case 'connectionRestored':
        if (lostShown) {
          lostShown = false;
          emit(restored());
        }
        break;
      case 'messageFailed':
        emit(
          dialect.userMessageErrors
            ? call('setErrorStatus', { type: ErrorType.USER_MESSAGE, messageID: event.messageId, logInfo: event.reason })
            : call('sendMessageToUser', notice(texts.messageNotDelivered)),
        );
        break;
      case 'fileUploadStatus':
        emit(
          event.error === undefined
            ? call('setFileUploadStatus', event.fileId)
            : call('setFileUploadStatus', event.fileId, true, event.error),
        );
        break;
      case 'capabilities': {
        // Limits only the library checks (file size, count) are not host capabilities.
        const capabilities = dialect.capabilities(event.capabilities);
        if (Object.keys(capabilities).length) emit(call('updateCapabilities', capabilities));
        break;
      }
      case 'persist':
        if (dialect.persistsState) emit(call('updatePersistedState', { resume: event.state }));
        break;
      case 'sessionFailed':
        if (joined) {
          // The host's own disconnected status makes the input read-only: lift it before the chat ends.
          if (lostShown && !texts.connectionLost) emit(call('setErrorStatus', { type: ErrorType.DISCONNECTED, isDisconnected: false }));
          emit(call('sendMessageToUser', notice(texts.connectionEnded)));
          emit(call('agentEndedChat'));
        } else if (connected) {
          emit(
            call('setErrorStatus', {
              type: ErrorType.CONNECTING,
              messageToUser: texts.couldNotConnect,
              logInfo: { name: event.error.name, code: event.error.code, message: event.error.message },
            }),
          );
        }
        break;
      case 'messageSent':
        break;
    }
  };

  // The hot lane (agent messages and typing, most of the traffic): one read of `type`, given by the caller when it has
  // read it (see NormalizedEmit), and a step small enough for V8 to inline.
  return (event, emit, type = event.type) => {
    if (type === 'agentMessage') {
      const { id, text, attachments, content, agentId: sender } = event as EventOf<'agentMessage'>;
      const message = dialect.message(id, text, attachments, content);
      const from = sender ?? agentId;
      if (direct) direct.message(message, from);
      else emit(from === undefined ? call('sendMessageToUser', message) : call('sendMessageToUser', message, from));
    } else if (type === 'agentTyping') {
      const { isTyping } = event as EventOf<'agentTyping'>;
      if (direct) direct.typing(isTyping);
      else emit(call('agentTyping', isTyping));
    } else other(event, emit);
  };
}
