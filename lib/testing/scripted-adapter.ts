import { NEVER, defer, finalize, of, take, tap, type Observable } from 'rxjs';
import type {
  AdapterSession,
  AvailabilityRequest,
  OutgoingFile,
  OutgoingMessage,
  ServiceDeskAdapter,
  SessionRequest,
} from '../core/adapter.js';
import type { Agent, Attachment, Capabilities, DomainEvent } from '../core/events.js';

/** Options of {@link scriptedAdapter}: every vendor behaviour is a function you pass. */
export interface ScriptedAdapterOptions {
  name?: string;
  /** The vendor events of one connection attempt (`attempt` counts from 1). Marble tests pass `m.hot(...)`. */
  events: (request: SessionRequest, attempt: number) => Observable<DomainEvent>;
  /** What sending a message does. Default: succeeds at once. */
  send?: (message: OutgoingMessage, attempt: number) => Observable<unknown>;
  /** What uploading a file does. Leave it out for a vendor that takes no files. */
  sendFile?: (file: OutgoingFile) => Observable<unknown>;
  /** What leaving does when the user ends the chat. Default: succeeds at once. */
  end?: () => Observable<unknown>;
  capabilities?: Partial<Capabilities>;
  typingHeartbeatMs?: number;
  canResume?: boolean;
  checkAvailability?: (request: AvailabilityRequest) => Promise<boolean | null>;
}

/** A {@link ScriptedAdapterOptions} adapter plus what it recorded. */
export interface ScriptedAdapter extends ServiceDeskAdapter {
  /** The requests `open` received, one per session. */
  readonly requests: SessionRequest[];
  /** Messages the vendor accepted, in order. */
  readonly sent: OutgoingMessage[];
  readonly files: OutgoingFile[];
  readonly typing: boolean[];
  /** How often `markRead` ran. */
  readonly reads: number;
  /** How often `end` ran. */
  readonly ends: number;
  /** Connection attempts so far (subscriptions to `events$`). */
  readonly attempts: number;
  /** Subscriptions to `events$` alive now: 0 after a chat ended means nothing leaked. */
  readonly live: number;
}

/**
 * An adapter whose vendor behaviour is scripted by the test: events from a function (marble tests return
 * `m.hot(...)`), commands recorded. Use it to test custom integrations and the pipeline without a vendor.
 *
 * @example
 * const adapter = scriptedAdapter({ events: () => m.hot('-c--j', { c: connected(), j: joined(ann) }) });
 * const desk = createServiceDesk(adapter, { callback: host.callback }, { scheduler: m.scheduler });
 */
export function scriptedAdapter(options: ScriptedAdapterOptions): ScriptedAdapter {
  const state = {
    requests: [] as SessionRequest[],
    sent: [] as OutgoingMessage[],
    files: [] as OutgoingFile[],
    typing: [] as boolean[],
    reads: 0,
    ends: 0,
    attempts: 0,
    live: 0,
  };
  const sendAttempts = new Map<string, number>();
  const open = (request: SessionRequest): AdapterSession => {
    state.requests.push(request);
    const session: AdapterSession = {
      events$: defer(() => {
        state.attempts += 1;
        state.live += 1;
        return options.events(request, state.attempts).pipe(finalize(() => (state.live -= 1)));
      }),
      sendMessage: (message) =>
        defer(() => {
          const attempt = (sendAttempts.get(message.id) ?? 0) + 1;
          sendAttempts.set(message.id, attempt);
          const result$ = options.send ? options.send(message, attempt) : of(true);
          return result$.pipe(
            take(1),
            tap(() => state.sent.push(message)),
          );
        }),
      sendTyping: (isTyping) =>
        defer(() => {
          state.typing.push(isTyping);
          return of(true);
        }),
      markRead: () =>
        defer(() => {
          state.reads += 1;
          return of(true);
        }),
      end: () =>
        defer(() => {
          state.ends += 1;
          return options.end ? options.end() : of(true);
        }),
    };
    if (options.sendFile) {
      const sendFile = options.sendFile;
      session.sendFile = (file) =>
        defer(() => {
          state.files.push(file);
          return sendFile(file);
        });
    }
    return session;
  };
  const adapter = {
    name: options.name ?? 'scripted desk',
    open,
    ...(options.capabilities ? { capabilities: options.capabilities } : {}),
    ...(options.typingHeartbeatMs ? { typingHeartbeatMs: options.typingHeartbeatMs } : {}),
    ...(options.canResume ? { canResume: true } : {}),
    ...(options.checkAvailability ? { checkAvailability: options.checkAvailability } : {}),
  };
  return Object.defineProperties(adapter, {
    requests: { get: () => state.requests },
    sent: { get: () => state.sent },
    files: { get: () => state.files },
    typing: { get: () => state.typing },
    reads: { get: () => state.reads },
    ends: { get: () => state.ends },
    attempts: { get: () => state.attempts },
    live: { get: () => state.live },
  }) as ScriptedAdapter;
}

/** Builders for domain events, short enough for marble value maps. */
export const ev = {
  connected: (resumed?: boolean): DomainEvent => (resumed === undefined ? { type: 'connected' } : { type: 'connected', resumed }),
  queue: (position?: number, waitMinutes?: number): DomainEvent => ({
    type: 'queueUpdate',
    ...(position !== undefined ? { position } : {}),
    ...(waitMinutes !== undefined ? { waitMinutes } : {}),
  }),
  joined: (agent: Agent): DomainEvent => ({ type: 'agentJoined', agent }),
  transfer: (agent?: Agent): DomainEvent => (agent ? { type: 'transferStarted', agent } : { type: 'transferStarted' }),
  left: (agentId?: string): DomainEvent => (agentId ? { type: 'agentLeft', agentId } : { type: 'agentLeft' }),
  ended: (reason?: string): DomainEvent => (reason ? { type: 'chatEnded', reason } : { type: 'chatEnded' }),
  message: (id: string, text: string, agentId?: string, attachments?: Attachment[]): DomainEvent => ({
    type: 'agentMessage',
    id,
    text,
    ...(agentId ? { agentId } : {}),
    ...(attachments ? { attachments } : {}),
  }),
  typing: (isTyping: boolean): DomainEvent => ({ type: 'agentTyping', isTyping }),
  read: (): DomainEvent => ({ type: 'agentRead' }),
  lost: (reason?: string): DomainEvent => (reason ? { type: 'connectionLost', reason } : { type: 'connectionLost' }),
  restored: (): DomainEvent => ({ type: 'connectionRestored' }),
  persist: (state: unknown): DomainEvent => ({ type: 'persist', state }),
};

/**
 * An observable that never emits: a vendor that never answers (to test connect timeouts).
 *
 * @example
 * const adapter = scriptedAdapter({ events: silentVendor });
 */
export const silentVendor = (): Observable<DomainEvent> => NEVER;
