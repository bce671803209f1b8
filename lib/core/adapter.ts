import type { Observable, SchedulerLike } from 'rxjs';
import type { ChatContext } from '../host/context.js';
import type { HostMessageResponse, HostState, HostTransferInfo } from '../host/types.js';
import type { Agent, Capabilities, DomainEvent, ScreenShareAnswer } from './events.js';
import type { Logger } from './logger.js';

/** What an adapter gets to open one chat session. */
export interface SessionRequest {
  /** Lines for the agent that summarise the conversation so far (empty entries already removed). */
  readonly summary: readonly string[];
  /** The assistant message that asked for an agent (`connect_to_agent`), when the chat was started by one. */
  readonly connectMessage?: HostMessageResponse;
  /** `transfer_info` of the `connect_to_agent` item: `additional_data` holds vendor-specific routing data. */
  readonly transferInfo?: HostTransferInfo;
  /** Carbon AI Chat's `preStartChatPayload`, or watsonx web chat's `agentAppInfo`. */
  readonly startPayload?: unknown;
  /**
   * The routing and pre-chat context, bounded and flattened for any vendor: pass `context.attributes` on as the
   * vendor's conversation / task / custom attributes. The desk always sets it (empty attributes when resuming: the
   * vendor has them already); optional only so that hand-built requests in tests stay short.
   */
  readonly context?: ChatContext;
  /**
   * The user's answers to the agent's screen-share requests (`screenShareRequested` events) and `stopped` when the
   * user stops sharing. Adapters whose vendor has a co-browse signal pass them on; the desk always sets it.
   */
  readonly screenShare$?: Observable<ScreenShareAnswer>;
  /** When resuming after a page reload: the last state the adapter emitted as a `persist` event. */
  readonly resume?: unknown;
  /** When resuming after a page reload: the agent who was in the chat when it was saved. */
  readonly agent?: Agent;
  /** The latest web chat state (`updateState`): session id, user id, locale. */
  readonly hostState: () => HostState;
  readonly logger: Logger;
  /** Use it for every timer, so that tests can run the adapter in virtual time. */
  readonly scheduler: SchedulerLike;
}

/** A user message on its way to the vendor. */
export interface OutgoingMessage {
  /** The host's id for the message. Adapters may use it as an idempotency key. */
  readonly id: string;
  readonly text: string;
}

/** A user file on its way to the vendor. */
export interface OutgoingFile {
  /** The host's id for the upload (the one `setFileUploadStatus` takes). */
  readonly id: string;
  readonly file: Blob;
  readonly name: string;
  readonly type: string;
  readonly size: number;
}

/**
 * One chat session at the vendor, as an adapter exposes it.
 *
 * Subscribing to `events$` connects; unsubscribing removes every listener, timer and socket the session made. The
 * library may subscribe again after `events$` errors with a retryable error (that is how it reconnects), so keep
 * whatever is needed to resume (a session token, the channel id) on the session object, and make `events$` resume
 * rather than start over.
 *
 * Commands return cold observables: the library subscribes once per attempt. Emitting a value or completing means
 * done; an error means failed (retryable or not, see `ServiceDeskError`).
 */
export interface AdapterSession {
  /** The vendor's events, decoded. Emit `connected` once the session is usable (again, after a reconnect). */
  readonly events$: Observable<DomainEvent>;
  /** Sends one user message. */
  sendMessage(message: OutgoingMessage): Observable<unknown>;
  /** Uploads one user file. Leave it out when the vendor takes no files. */
  sendFile?(file: OutgoingFile): Observable<unknown>;
  /** Tells the vendor the user is typing (`true`, repeated while typing) or stopped (`false`). */
  sendTyping?(isTyping: boolean): Observable<unknown>;
  /** Tells the vendor the user has read everything shown so far. */
  markRead?(): Observable<unknown>;
  /** The user ends the chat: leave or close politely. Runs before `events$` is unsubscribed. */
  end?(): Observable<unknown>;
}

/** What `areAnyAgentsOnline` passes to an adapter. */
export interface AvailabilityRequest {
  readonly connectMessage?: HostMessageResponse;
  readonly transferInfo?: HostTransferInfo;
  readonly logger: Logger;
}

/**
 * A vendor adapter: how one contact-center platform becomes a stream of domain events and a set of commands.
 * See docs/writing-an-adapter.md.
 */
export interface ServiceDeskAdapter {
  /** The integration's name, at most 40 characters (the host reports it). */
  readonly name: string;
  /** What the user may upload. Leave it out when the vendor takes no files. */
  readonly capabilities?: Partial<Capabilities>;
  /** How often to repeat `sendTyping(true)` while the user types (vendors whose indicator fades). Default: never. */
  readonly typingHeartbeatMs?: number;
  /** Whether `open` accepts `resume` state, so that a chat survives a page reload. */
  readonly canResume?: boolean;
  /** Whether saved state is usable: `false` makes `reconnect()` answer `false` instead of opening a session. */
  acceptsResume?(state: unknown): boolean;
  /** Whether `events$` already drops duplicate agent messages (adapters built on the engine): the session then skips its own check. */
  readonly dedupesMessages?: boolean;
  /** Opens one chat session. Nothing happens until `events$` is subscribed. */
  open(request: SessionRequest): AdapterSession;
  /** Whether any agent can take a chat: `null` when unknown. The library adds a timeout. */
  checkAvailability?(request: AvailabilityRequest): Promise<boolean | null>;
}
