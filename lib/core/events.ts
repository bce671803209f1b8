import { filter, type OperatorFunction } from 'rxjs';
import type { ServiceDeskError } from './errors.js';

/** A human agent as the vendor describes them. */
export interface Agent {
  /** Stable id of the agent at the vendor (member sid, user id, nickname as a last resort). */
  id: string;
  /** The name the user sees. */
  nickname: string;
  /** An avatar URL, if the vendor has one. */
  avatarUrl?: string;
}

/** A file or link an agent sent. */
export interface Attachment {
  url: string;
  name?: string;
  mimeType?: string;
  size?: number;
}

/** One choice of an {@link AgentContent} option list: the label shown, and the text sent when the user picks it. */
export interface AgentOption {
  readonly label: string;
  readonly value: string;
}

/**
 * Rich content an agent sent, beside the message text: what the hosts can render, typed. URLs must be `https:` (or
 * `http:`, `blob:`, an image `data:` URL): others are shown as "(link removed)".
 */
export type AgentContent =
  /** A file: a link button card on Carbon AI Chat (as its own mock desk does), a markdown link on watsonx. */
  | { readonly kind: 'file'; readonly url: string; readonly name?: string; readonly mimeType?: string; readonly size?: number }
  /** An image, with the alternative text screen readers read. */
  | { readonly kind: 'image'; readonly url: string; readonly altText?: string; readonly title?: string; readonly description?: string }
  /** A video the host plays. */
  | { readonly kind: 'video'; readonly url: string; readonly altText?: string; readonly title?: string; readonly description?: string }
  /** A vendor-side error shown to the user (`inline_error` on Carbon AI Chat, text on watsonx). */
  | { readonly kind: 'error'; readonly text: string }
  /**
   * Quick replies / an option list, shown as a numbered text list the user answers by typing (Carbon AI Chat's own
   * `option` item would send the choice to the assistant, not the agent). Use `custom` for a renderer of your own.
   */
  | { readonly kind: 'options'; readonly title?: string; readonly options: readonly AgentOption[] }
  /** Passed through as a `user_defined` item, for the app's own renderer (`renderUserDefinedResponse`). */
  | { readonly kind: 'custom'; readonly data: Readonly<Record<string, unknown>> };

/**
 * The user's side of a screen share, as the desk tells the adapter (`SessionRequest.screenShare$`): the host's answer
 * to the request, `timedOut` when the host did not answer in time (headless hosts never do), `unsupported` when the
 * host cannot ask, `stopped` when the user stopped sharing.
 */
export type ScreenShareAnswer = 'accepted' | 'declined' | 'cancelled' | 'timedOut' | 'unsupported' | 'stopped';

/** What the desk lets the user upload. `maxFileSizeBytes` and `maxFiles` are checked by the library itself. */
export interface Capabilities {
  allowFileUploads: boolean;
  allowMultipleFileUploads: boolean;
  /** An `accept` string, e.g. `".pdf,image/*"`; empty means any type. */
  allowedFileUploadTypes: string;
  maxFileSizeBytes?: number;
  maxFiles?: number;
}

/**
 * Every event of a chat session, as a discriminated union on `type`. Adapters emit most of them; the library adds
 * `messageSent`, `messageFailed`, `fileUploadStatus` and `sessionFailed`.
 */
export type DomainEvent =
  /** The session is established: `startChat` resolves (or `reconnect` answers `true`). */
  | { readonly type: 'connected'; readonly resumed?: boolean }
  /** Waiting for an agent: position in the queue and/or estimated wait in minutes. */
  | { readonly type: 'queueUpdate'; readonly position?: number; readonly waitMinutes?: number; readonly message?: string }
  /** An agent is now in the chat. The library tells a first join from a transfer. */
  | { readonly type: 'agentJoined'; readonly agent: Agent }
  /** The chat is being handed to another agent (whose profile may be known). */
  | { readonly type: 'transferStarted'; readonly agent?: Agent }
  /** An agent left (not the end of the chat: it may be a transfer). */
  | { readonly type: 'agentLeft'; readonly agentId?: string }
  /** The agent (or the desk) ended the chat. */
  | { readonly type: 'chatEnded'; readonly reason?: string }
  /** A message from an agent. `id` is the vendor's message id, used to drop duplicates. */
  | {
      readonly type: 'agentMessage';
      readonly id: string;
      readonly agentId?: string;
      readonly text: string;
      readonly attachments?: readonly Attachment[];
      /** Rich content after the text: files, images, video, errors, option lists, custom items. */
      readonly content?: readonly AgentContent[];
    }
  /** The agent started or stopped typing. */
  | { readonly type: 'agentTyping'; readonly isTyping: boolean; readonly agentId?: string }
  /** The agent has read every message the user sent. */
  | { readonly type: 'agentRead' }
  /** The agent asks the user to share their screen (the vendor's co-browse or screen-share signal). */
  | { readonly type: 'screenShareRequested' }
  /** The screen share ended or was cancelled at the agent's side. */
  | { readonly type: 'screenShareEnded' }
  /** The connection to the vendor dropped; the library is reconnecting. */
  | { readonly type: 'connectionLost'; readonly reason?: string }
  /** The connection is back. */
  | { readonly type: 'connectionRestored' }
  /** A user message reached the vendor. */
  | { readonly type: 'messageSent'; readonly messageId: string }
  /** A user message could not be delivered. */
  | { readonly type: 'messageFailed'; readonly messageId: string; readonly reason: string }
  /** A file upload finished (`error` set when it failed or was rejected). */
  | { readonly type: 'fileUploadStatus'; readonly fileId: string; readonly error?: string }
  /** What the user may upload changed. */
  | { readonly type: 'capabilities'; readonly capabilities: Partial<Capabilities> }
  /** State the adapter needs to resume this session after a page reload (kept in the host's persisted state). */
  | { readonly type: 'persist'; readonly state: unknown }
  /** The session failed for good (after bounded retries, or a terminal vendor error). */
  | { readonly type: 'sessionFailed'; readonly error: ServiceDeskError };

/**
 * The events only the library makes: a port (`AdapterEvent`) cannot emit them. The engine adds `persist`, the
 * session adds the others.
 */
export type LibraryEvent = Extract<DomainEvent, { type: 'messageSent' | 'messageFailed' | 'fileUploadStatus' | 'sessionFailed' | 'persist' }>;

/** The `type` of a {@link DomainEvent}. */
export type DomainEventType = DomainEvent['type'];

/** The member of the {@link DomainEvent} union with the given `type`. */
export type EventOf<T extends DomainEventType> = Extract<DomainEvent, { type: T }>;

/**
 * A type guard for one or more event types.
 *
 * @example
 * const isMessage = isType('agentMessage');
 * if (isMessage(event)) show(event.text);
 */
export function isType<T extends DomainEventType>(...types: T[]): (event: DomainEvent) => event is EventOf<T> {
  if (types.length === 1) {
    const only = types[0];
    return (event): event is EventOf<T> => event.type === only;
  }
  return (event): event is EventOf<T> => (types as string[]).includes(event.type);
}

/**
 * Keeps the events of the given types, narrowed (like redux-observable's `ofType`).
 *
 * @example
 * events$.pipe(ofType('agentMessage')).subscribe(message => show(message.text));
 */
export function ofType<T extends DomainEventType>(...types: T[]): OperatorFunction<DomainEvent, EventOf<T>> {
  return filter(isType(...types));
}
