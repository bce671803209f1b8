import type { Observable, SchedulerLike } from 'rxjs';
import type { ChatContext } from '../../host/context.js';
import type { HostMessageResponse, HostState, HostTransferInfo } from '../../host/types.js';
import type { OutgoingFile, OutgoingMessage } from '../adapter.js';
import type { AgentContent, Attachment, Capabilities, ScreenShareAnswer } from '../events.js';
import type { Logger } from '../logger.js';

/**
 * An agent as a vendor frame names them: the id is always known, the profile may not be (the engine then asks the
 * port's `lookupAgent` and shows what is known when the lookup does not answer in time).
 */
export interface AgentRef {
  /** Stable id of the agent at the vendor. */
  readonly id: string;
  readonly nickname?: string;
  readonly avatarUrl?: string;
}

/**
 * What a port may emit: the vendor's facts, decoded. The engine turns them into the library's domain events
 * (`DomainEvent`); the library-only events (`messageSent`, `messageFailed`, `fileUploadStatus`, `sessionFailed`,
 * `persist`) are not here, a port cannot emit them.
 *
 * `Session` is the port's own state that a reconnect (and a resume after a page reload) needs: a session token, a
 * channel id. The port reports it with `sessionState`; the engine keeps it, hands it back to `connect`, and saves it
 * (versioned and validated) in the host's persisted state when it changes.
 */
export type AdapterEvent<Session = unknown> =
  /** The connection is usable: `startChat` resolves on the first one. Emit it on every connection (reconnects too). */
  | { readonly type: 'connected'; readonly resumed?: boolean }
  /** Waiting for an agent. */
  | { readonly type: 'queueUpdate'; readonly position?: number; readonly waitMinutes?: number; readonly message?: string }
  /** An agent is in the chat. The engine tells a first join from a transfer, and looks up a profile it lacks. */
  | { readonly type: 'agentJoined'; readonly agent: AgentRef }
  /** The desk says the chat is being handed to another agent. */
  | { readonly type: 'transferStarted'; readonly agent?: AgentRef }
  /** An agent left. The engine holds it for the transfer grace window: a join within it is a transfer. */
  | { readonly type: 'agentLeft'; readonly agentId?: string }
  /** The agent or the desk ended the chat. */
  | { readonly type: 'chatEnded'; readonly reason?: string }
  /**
   * A message from an agent. `id` is the vendor's message id (the engine drops duplicates by it); `index` is the
   * vendor's ordered position of the message when it has one (Twilio's index, a sequence number). Give `index` only
   * when the vendor numbers each message once (two messages never share an index): the engine then drops duplicates
   * by it instead of by `id`, and a second message with a seen index would not be shown. When `agentId`
   * names an agent who has not joined yet, the engine shows a join first, made from `sender`.
   */
  | {
      readonly type: 'agentMessage';
      readonly id: string;
      readonly text: string;
      readonly attachments?: readonly Attachment[];
      /** Rich content after the text (see `AgentContent`). */
      readonly content?: readonly AgentContent[];
      readonly agentId?: string;
      readonly sender?: Omit<AgentRef, 'id'>;
      readonly index?: number;
      /**
       * Attachments to resolve when the message is shown (temporary media URLs): the engine waits up to
       * `mediaTimeoutMs` for them, holding the events after the message, and shows the message without them after.
       * They are shown as rich content: images (`image/*`) as images, other files as file cards.
       */
      readonly loadAttachments?: () => Observable<readonly Attachment[]>;
    }
  /**
   * An agent started or stopped typing. `forMs`: the vendor's indicator lasts that long unless renewed (the engine
   * stops it then).
   */
  | { readonly type: 'agentTyping'; readonly isTyping: boolean; readonly agentId?: string; readonly forMs?: number }
  /**
   * The agents in the chat now (a snapshot, e.g. the member list read on (re)connecting): the engine joins the ones
   * it does not know and lets the ones missing from it leave.
   */
  | { readonly type: 'agentsPresent'; readonly agents: readonly AgentRef[] }
  /** The agent has read everything the user sent. */
  | { readonly type: 'agentRead' }
  /** The agent asks the user to share their screen; the answer comes on `PortRequest.screenShare$`. */
  | { readonly type: 'screenShareRequested' }
  /** The screen share ended at the agent's side. */
  | { readonly type: 'screenShareEnded' }
  /** The vendor's own connection dropped (an SDK that reconnects by itself); the port's observable goes on. */
  | { readonly type: 'connectionLost'; readonly reason?: string }
  /** The vendor's own connection is back: the engine reads the history missed meanwhile. */
  | { readonly type: 'connectionRestored' }
  /** What the user may upload changed. The adapter's `capabilities` option wins over it. */
  | { readonly type: 'capabilities'; readonly capabilities: Partial<Capabilities> }
  /**
   * One of the user's messages is at the vendor, carrying the host's message id (the port's echo, or a history
   * entry): the engine never sends that id again.
   */
  | { readonly type: 'userMessageSeen'; readonly messageId: string }
  /** The port's session state changed (see `Session` above). */
  | { readonly type: 'sessionState'; readonly state: Session }
  /** The vendor asks for a fresh token: the engine calls `refreshToken`, bounded by a timeout and a retry budget. */
  | { readonly type: 'tokenExpiring' };

/** The `type` of an {@link AdapterEvent}. */
export type AdapterEventType = AdapterEvent['type'];

/** The last agent message shown: where a gap fill reads back to, and what a read receipt covers. */
export interface ShownMessage {
  readonly id: string;
  readonly index?: number;
}

/** Where a history read starts: `before` is the cursor a previous page gave (absent for the latest page). */
export interface HistoryRequest {
  readonly before?: unknown;
  readonly pageSize: number;
}

/** One page of history. */
export interface HistoryPage {
  /** The page's events, oldest first: `agentMessage`s and `userMessageSeen`s (anything else is ignored). */
  readonly events: readonly AdapterEvent[];
  /** The cursor of the next older page; absent when there is none. */
  readonly before?: unknown;
}

/** What a port gets to open one chat. */
export interface PortRequest<Session> {
  /** Summary lines for the agent (empty entries removed). Send them when starting a new chat. */
  readonly summary: readonly string[];
  readonly connectMessage?: HostMessageResponse;
  readonly transferInfo?: HostTransferInfo;
  readonly startPayload?: unknown;
  /** Routing and pre-chat context: send `context.attributes` with a new chat (see `SessionRequest.context`). */
  readonly context?: ChatContext;
  /** The user's screen-share answers (see `SessionRequest.screenShare$`). */
  readonly screenShare$?: Observable<ScreenShareAnswer>;
  /** The saved session state when the chat resumes after a page reload (already validated by `readSession`). */
  readonly resume?: Session;
  readonly hostState: () => HostState;
  readonly logger: Logger;
  /** Use it for every timer. */
  readonly scheduler: SchedulerLike;
}

/**
 * One chat at the vendor, as a port exposes it. Every method returns a cold observable; the engine subscribes once
 * per attempt. Emitting a value or completing means done; an error means failed (a `ServiceDeskError`, retryable or
 * not).
 */
export interface PortSession<Session = unknown> {
  /**
   * Connects: the subscription IS the connection. Emits the vendor's frames decoded into {@link AdapterEvent}s;
   * unsubscribing removes every listener, timer and socket it made. It errors (retryable) when the connection
   * drops: the engine subscribes again, passing the latest `sessionState` so that the port resumes the same chat.
   */
  connect(session: Session | undefined): Observable<AdapterEvent<Session>>;
  /** Sends one user message, tagged with `message.id` where the vendor can keep it (see `messageIdAttribute`). */
  sendMessage(message: OutgoingMessage): Observable<unknown>;
  /** Uploads one user file. Leave it out when the vendor takes no files. */
  sendFile?(file: OutgoingFile): Observable<unknown>;
  /** Tells the vendor the user is typing (`true`, repeated every `typingIntervalMs`) or stopped (`false`). */
  sendTyping?(isTyping: boolean): Observable<unknown>;
  /** Tells the vendor the user has read everything shown; `last` is the last agent message shown, when there is one. */
  markRead?(last: ShownMessage | undefined): Observable<unknown>;
  /** Leaves the chat politely when the user ends it (`endAction: 'leave'`). */
  leave?(): Observable<unknown>;
  /** Reads ONE page of history; the engine pages. Leave it out when the vendor replays what was missed itself. */
  readHistory?(request: HistoryRequest): Observable<HistoryPage>;
  /** Gets a fresh token and gives it to the vendor's connection. Called when the port emits `tokenExpiring`. */
  refreshToken?(): Observable<unknown>;
  /** Looks up an agent's profile (nickname, avatar). The engine caches the answer and bounds it with a timeout. */
  lookupAgent?(agent: AgentRef, context: { readonly messageId?: string }): Observable<Omit<AgentRef, 'id'> | undefined>;
}

/**
 * A vendor port: the only vendor-specific part of an adapter. `createAdapter(port, options)` builds the adapter.
 * See docs/writing-an-adapter.md.
 */
export interface AdapterPort<Session = unknown> {
  /** The integration's default name, at most 40 characters. */
  readonly name: string;
  /** What the user may upload by default. Leave it out when the vendor takes no files. */
  readonly capabilities?: Partial<Capabilities>;
  /**
   * Reads saved session state back: the state when it is usable, `undefined` when it is not (then `reconnect()`
   * answers `false`). Leave it out when the vendor cannot resume a chat after a page reload.
   */
  readSession?(saved: unknown): Session | undefined;
  /** Opens one chat. Nothing happens until `connect` is subscribed. */
  open(request: PortRequest<Session>): PortSession<Session>;
}

/** What `checkAvailability` answers: whether agents are online, and queue figures when it knows them. */
export interface AvailabilityStatus {
  /** Whether an agent can take a chat; `null` or absent when unknown. */
  readonly online?: boolean | null;
  /** 1-based position in the queue. */
  readonly position?: number;
  /** Estimated wait, in minutes. */
  readonly waitMinutes?: number;
  /** A line to show the user while waiting. */
  readonly message?: string;
}

/** What `checkAvailability` is asked with. */
export interface AvailabilityQuery<Session = unknown> {
  /** `'beforeChat'` for the host's `areAnyAgentsOnline`; `'queued'` while a chat waits for its first agent. */
  readonly phase: 'beforeChat' | 'queued';
  /** The chat's session state, while queued. */
  readonly session?: Session;
}

/** The options every adapter built on the engine takes; each vendor's options extend them. Timings in ms. */
export interface CommonAdapterOptions<Session = unknown> {
  /** The integration name the host reports (at most 40 characters). Default: the port's name. */
  name?: string;
  /** What the user may upload; overrides the port's default and what it reports. `{ allowFileUploads: false }` turns uploads off. */
  capabilities?: Partial<Capabilities>;
  /**
   * Agent availability and queue figures (from your middleware): answers `areAnyAgentsOnline` and is polled every
   * `queuePollMs` while the chat waits for its first agent.
   */
  checkAvailability?: (query: AvailabilityQuery<Session>) => PromiseLike<AvailabilityStatus | null | undefined>;
  /** How often to poll `checkAvailability` while queued; 0 turns polling off. Default 15 000. */
  queuePollMs?: number;
  /** How often to repeat "the user is typing" while they type (vendors whose indicator fades); 0: on change only. */
  typingIntervalMs?: number;
  /** What ending the chat does at the vendor: leave it politely (default), or only close the connection. */
  endAction?: 'leave' | 'close';
  /** After the last agent left, how long a new agent joining is a transfer (the leave is not shown). Default 0. */
  transferGraceMs?: number;
  /** Whether the last agent leaving (after the grace window) ends the chat. Default `false`: the leave is shown. */
  endWhenAgentLeaves?: boolean;
  /** Messages per history page. Default 30. */
  historyPageSize?: number;
  /** Most pages read to fill the gap after a reconnect. Default 10. */
  historyMaxPages?: number;
  /** Longest wait for the gap fill; the chat goes on without it after that. Default 10 000. */
  historyTimeoutMs?: number;
  /** Message attribute that carries the host's message id on each user message (ports that can tag). */
  messageIdAttribute?: string;
  /** Longest wait for `lookupAgent`; the join is shown with what is known after it. Default 3 000. */
  profileTimeoutMs?: number;
  /** Longest wait for an agent message's `loadAttachments`. Default 10 000. */
  mediaTimeoutMs?: number;
  /** Longest wait for `refreshToken`. Default 10 000. */
  tokenTimeoutMs?: number;
  /** Fresh tokens asked in a row without the connection coming back before the chat ends. Default 2. */
  tokenRetries?: number;
  /** Nickname of an agent whose profile is unknown. Default `'Agent'`. */
  agentFallbackName?: string;
}
