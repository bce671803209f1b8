import {
  BehaviorSubject,
  EMPTY,
  Observable,
  concat,
  concatMap,
  connect,
  defer,
  exhaustMap,
  filter,
  finalize,
  from,
  ignoreElements,
  map,
  merge,
  mergeMap,
  of,
  switchMap,
  take,
  takeUntil,
  tap,
  throwError,
  throwIfEmpty,
  timeout,
  timer,
  catchError,
  type OperatorFunction,
  type SchedulerLike,
} from 'rxjs';
import type { AdapterSession, OutgoingFile, OutgoingMessage, SessionRequest } from '../../core/adapter.js';
import { ServiceDeskError, isRetryable, toServiceDeskError } from '../../core/errors.js';
import type { Agent, DomainEvent } from '../../core/events.js';
import type { Logger } from '../../core/logger.js';
import { Connection } from './connection.js';
import {
  MalformedFrameError,
  agentMessageEvent,
  agentOf,
  capabilitiesOf,
  decodeOutbound,
  errorOf,
  historyGap,
  parseFrame,
  type AgentProfile,
  type HistoryMarker,
  type Sender,
} from './decode.js';
import { fetchHistoryPages, putFile, type FetchLike } from './http.js';
import { frames, type WmInboundFrame, type WmJourneyContext, type WmSessionResponse, type WmStructuredMessage } from './protocol.js';
import type { SocketCloseEvent, SocketFactory, SocketMessageEvent } from './socket.js';

/** What the middleware's queue figures give while the user waits (`GET /genesys/availability` fits). */
export interface QueueStatus {
  readonly position?: number;
  readonly waitMinutes?: number;
  readonly message?: string;
}

/** Everything a session needs, resolved from the adapter options. */
export interface SessionSettings {
  readonly deploymentId: string;
  readonly socketUrl: string;
  readonly apiUrl: string;
  readonly socketFactory: SocketFactory;
  readonly fetch: FetchLike;
  readonly randomId: () => string;
  readonly getAuthCode?: () => PromiseLike<string>;
  readonly journeyContext?: WmJourneyContext;
  readonly customAttributes?: Readonly<Record<string, string>>;
  readonly messageIdAttribute?: string;
  readonly lookupProfile?: (sender: { messageId: string; nickname: string; avatarUrl?: string }) => PromiseLike<AgentProfile | null | undefined>;
  readonly lookupTimeoutMs: number;
  readonly getQueueStatus?: () => PromiseLike<QueueStatus | null | undefined>;
  readonly queuePollMs: number;
  readonly heartbeatMs: number;
  readonly typingCooldownMs: number;
  readonly botMessages: 'show' | 'drop';
  readonly agentFallbackName: string;
  readonly formatSummary: ((lines: readonly string[]) => string | undefined) | false;
  readonly autostart: boolean;
  readonly endAction: 'clear' | 'close';
  readonly historyPageSize: number;
  readonly historyMaxPages: number;
  readonly historyTimeoutMs: number;
}

/** The state kept in the host's persisted state, so that `reconnect()` after a page reload resumes the chat. */
export interface GenesysResumeState {
  readonly v: 1;
  readonly deploymentId: string;
  /** The Web Messaging session token (client-made UUID). */
  readonly token: string;
  readonly marker?: HistoryMarker;
  readonly agentKey?: string;
  readonly agent?: Agent;
}

/** Agent typing with a duration, turned into `agentTyping` true then false by {@link expireTyping}. */
interface TypingFor {
  readonly type: 'typingFor';
  readonly durationMs: number;
}
type Out = DomainEvent | TypingFor;

type SocketSignal =
  | { readonly kind: 'open' }
  | { readonly kind: 'message'; readonly data: unknown }
  | { readonly kind: 'close'; readonly code: number; readonly reason: string }
  | { readonly kind: 'error' };

/** The tracing id of heartbeat echoes. */
export const HEARTBEAT_TRACING_ID = 'rx-heartbeat';
const SEEN_LIMIT = 5_000;

function remember(set: Set<string>, id: string): void {
  if (set.size >= SEEN_LIMIT) set.delete(set.values().next().value as string);
  set.add(id);
}

/**
 * Reads `request.resume` back into resume state; `undefined` when there is none, an error when it is unusable.
 *
 * @example
 * readResume({ v: 1, deploymentId: 'd1', token: 't1' }, 'd1'); // { v: 1, deploymentId: 'd1', token: 't1' }
 */
export function readResume(value: unknown, deploymentId: string): GenesysResumeState | undefined {
  if (value === undefined || value === null) return undefined;
  const state = value as Partial<GenesysResumeState>;
  if (typeof value !== 'object' || state.v !== 1 || typeof state.token !== 'string' || !state.token) {
    throw new ServiceDeskError('CONFIG', 'The saved Genesys chat state is not usable: start a new chat.');
  }
  if (state.deploymentId !== deploymentId) {
    throw new ServiceDeskError('CONFIG', 'The saved Genesys chat belongs to another deployment: start a new chat.');
  }
  const marker = state.marker && typeof state.marker.id === 'string' ? state.marker : undefined;
  const agent = state.agent && typeof state.agent.id === 'string' && typeof state.agent.nickname === 'string' ? state.agent : undefined;
  return {
    v: 1,
    deploymentId,
    token: state.token,
    ...(marker ? { marker } : {}),
    ...(typeof state.agentKey === 'string' && agent ? { agentKey: state.agentKey, agent } : {}),
  };
}

/**
 * Turns `typingFor` into `agentTyping` true, then false after its duration (in `scheduler` time) unless another
 * typing event, an agent message or an agent change comes first.
 *
 * @example
 * out$.pipe(expireTyping(scheduler)) // typingFor(5000) -> agentTyping(true) ... 5 s ... agentTyping(false)
 */
export function expireTyping(scheduler: SchedulerLike): OperatorFunction<Out, DomainEvent> {
  return (source) =>
    source.pipe(
      connect((out$) =>
        merge(
          out$.pipe(map((event): DomainEvent => (event.type === 'typingFor' ? { type: 'agentTyping', isTyping: true } : event))),
          out$.pipe(
            filter((event) => event.type === 'typingFor' || event.type === 'agentTyping' || event.type === 'agentMessage' || event.type === 'agentJoined'),
            switchMap((event) =>
              event.type === 'typingFor'
                ? timer(event.durationMs, scheduler).pipe(map((): DomainEvent => ({ type: 'agentTyping', isTyping: false })))
                : EMPTY,
            ),
          ),
        ),
      ),
    );
}

/**
 * One Web Messaging chat: the socket lives inside `events$` (one socket per subscription, i.e. per connection
 * attempt), while the session token, the last message shown and the current agent live here so that a new
 * subscription resumes the same conversation. Made by the adapter's `open`; see {@link SessionSettings}.
 *
 * @example
 * const session = genesysWebMessaging({ deploymentId, domain }).open(request); // a GenesysSession
 * session.events$.subscribe((event) => show(event)); // opens the socket; unsubscribing closes it
 */
export class GenesysSession implements AdapterSession {
  readonly events$: Observable<DomainEvent>;
  private readonly token: string;
  private readonly scheduler: SchedulerLike;
  private readonly logger: Logger;
  /** The conversation existed before this subscription (a reconnect, or a resume after a page reload). */
  private established: boolean;
  private marker: HistoryMarker | undefined;
  private agentKey: string | undefined;
  private agent: Agent | undefined;
  private readonly seen = new Set<string>();
  /** Tracing ids (host message ids) the server has echoed: delivered, never sent again. */
  private readonly delivered = new Set<string>();
  /** The connection commands may use: set once configured and the history gap is filled. */
  private readonly ready$ = new BehaviorSubject<Connection | undefined>(undefined);
  private summary: string | undefined;
  private readonly summaryId: string;
  private ending = false;
  private typingDisabled = false;
  private lastTypingAt = -Infinity;
  private lastPersisted = '';
  private requests = 0;

  constructor(
    private readonly settings: SessionSettings,
    request: SessionRequest,
    resume: GenesysResumeState | undefined,
  ) {
    this.scheduler = request.scheduler;
    this.logger = request.logger;
    this.token = resume?.token ?? settings.randomId();
    this.established = resume !== undefined;
    this.marker = resume?.marker;
    this.agentKey = resume?.agentKey;
    this.agent = resume?.agent;
    this.summaryId = `rx-summary-${this.token}`;
    const summary = resume || settings.formatSummary === false ? undefined : settings.formatSummary(request.summary);
    this.summary = summary?.trim() ? summary : undefined;
    this.events$ = defer(() => this.attempt()).pipe(expireTyping(this.scheduler), (out$) => this.withQueueUpdates(out$));
  }

  // --- inbound ----------------------------------------------------------------------------------------------------

  private attempt(): Observable<Out> {
    const conn = new Connection();
    const signals$ = new Observable<SocketSignal>((subscriber) => {
      const socket = this.settings.socketFactory(this.settings.socketUrl);
      conn.socket = socket;
      const onOpen = () => subscriber.next({ kind: 'open' });
      const onMessage = (event: SocketMessageEvent) => subscriber.next({ kind: 'message', data: event.data });
      const onClose = (event: SocketCloseEvent) => subscriber.next({ kind: 'close', code: event.code, reason: event.reason });
      const onError = () => subscriber.next({ kind: 'error' });
      socket.addEventListener('open', onOpen);
      socket.addEventListener('message', onMessage);
      socket.addEventListener('close', onClose);
      socket.addEventListener('error', onError);
      return () => {
        socket.removeEventListener('open', onOpen);
        socket.removeEventListener('message', onMessage);
        socket.removeEventListener('close', onClose);
        socket.removeEventListener('error', onError);
        if (this.ready$.value === conn) this.ready$.next(undefined);
        conn.dispose();
      };
    });

    const heartbeat$ = conn.configured$.pipe(
      take(1),
      switchMap(() => timer(this.settings.heartbeatMs, this.settings.heartbeatMs, this.scheduler)),
      tap(() => {
        if (conn.awaitingEcho) {
          throw new ServiceDeskError('CONNECTION_LOST', `Genesys did not answer the heartbeat within ${this.settings.heartbeatMs} ms: reconnecting.`, {
            retryable: true,
          });
        }
        conn.awaitingEcho = true;
        conn.send(frames.echo(this.token, HEARTBEAT_TRACING_ID));
      }),
      ignoreElements(),
    );

    return signals$.pipe(
      mergeMap((signal) => this.intake(signal, conn)),
      connect((frames$) => merge(frames$.pipe(concatMap((frame) => this.handle(frame, conn))), heartbeat$)),
    );
  }

  /** Socket signals to parsed frames, in arrival order. Replies for commands are fanned out here, before ordering. */
  private intake(signal: SocketSignal, conn: Connection): Observable<WmInboundFrame> {
    switch (signal.kind) {
      case 'open':
        return this.configure(conn);
      case 'close':
        return throwError(
          () =>
            new ServiceDeskError('CONNECTION_LOST', `The Genesys socket closed (code ${signal.code}${signal.reason ? `, ${signal.reason}` : ''}).`, {
              retryable: true,
              context: { closeCode: signal.code },
            }),
        );
      case 'error':
        return throwError(() => new ServiceDeskError('CONNECTION_LOST', 'The Genesys socket failed.', { retryable: true }));
      case 'message': {
        let frame: WmInboundFrame;
        try {
          frame = parseFrame(signal.data);
        } catch (error) {
          if (!(error instanceof MalformedFrameError)) throw error;
          this.logger.warn('genesys: skipped a malformed frame', { reason: error.message });
          return EMPTY;
        }
        if (frame.class === 'StructuredMessage' && frame.tracingId === HEARTBEAT_TRACING_ID) {
          conn.awaitingEcho = false;
          return EMPTY;
        }
        if (frame.class === 'StructuredMessage' && frame.body.direction === 'Inbound' && frame.tracingId) {
          remember(this.delivered, frame.tracingId);
        }
        conn.frames$.next(frame);
        return of(frame);
      }
    }
  }

  /** Sends `configureSession` (or its authenticated form, with a fresh code); `startNew` opens a new conversation. */
  private configure(conn: Connection, startNew = false): Observable<never> {
    const getAuthCode = this.settings.getAuthCode;
    const code$: Observable<string | undefined> = getAuthCode
      ? defer(() => getAuthCode()).pipe(
          catchError((error: unknown) =>
            throwError(() => toServiceDeskError(error, 'AUTH_FAILED', 'getAuthCode failed: the authenticated Genesys session needs a fresh code.')),
          ),
        )
      : of(undefined);
    return code$.pipe(
      tap((authCode) => conn.send(this.configureFrame(authCode, startNew))),
      ignoreElements(),
    );
  }

  private configureFrame(authCode: string | undefined, startNew: boolean) {
    return frames.configure({
      token: this.token,
      deploymentId: this.settings.deploymentId,
      ...(startNew ? { startNew } : {}),
      ...(this.settings.journeyContext ? { journeyContext: this.settings.journeyContext } : {}),
      ...(authCode !== undefined ? { authCode } : {}),
    });
  }

  /** One frame, in order. May take time (profile lookup, history), which holds back the frames after it. */
  private handle(frame: WmInboundFrame, conn: Connection): Observable<Out> {
    switch (frame.class) {
      case 'SessionResponse':
        return this.onSession(frame.body, conn);
      case 'StructuredMessage':
        return frame.body.direction === 'Outbound' ? this.onOutbound(frame.body, false) : EMPTY;
      case 'SessionExpiredEvent':
        return throwError(() => new ServiceDeskError('SESSION_EXPIRED', 'The Genesys Web Messaging session expired: start a new chat.'));
      case 'SessionClearedEvent':
        return this.ending ? EMPTY : of<Out>({ type: 'chatEnded', reason: 'The conversation was cleared.' });
      case 'ConnectionClosedEvent':
        if (this.ending) return EMPTY;
        return throwError(
          () =>
            new ServiceDeskError(
              'SESSION_EXPIRED',
              frame.body.reason === 'signedIn'
                ? 'The user signed in elsewhere and Genesys closed this chat.'
                : 'Genesys closed this chat session (session limit reached or cleared elsewhere).',
            ),
        );
      case 'LogoutEvent':
        return throwError(() => new ServiceDeskError('AUTH_FAILED', 'The user was signed out of the authenticated Genesys session: sign in again.'));
      case 'string':
        return this.onError(frame.code, frame.body, frame.tracingId, conn);
      case 'TooManyRequestsErrorMessage':
        if (!frame.tracingId || !conn.pending.has(frame.tracingId)) this.logger.warn('genesys: rate limited', { retryAfter: frame.body.retryAfter });
        return EMPTY;
      default:
        return EMPTY;
    }
  }

  private onError(code: number, text: string | undefined, tracingId: string | undefined, conn: Connection): Observable<Out> {
    if (tracingId && conn.pending.has(tracingId)) return EMPTY;
    if (tracingId?.startsWith('rx-typing-')) {
      if (code === 403) this.typingDisabled = true;
      this.logger.debug('genesys: typing indicator refused (showUserTypingIndicator off?)', { code });
      return EMPTY;
    }
    if (!conn.configured) return throwError(() => errorOf(code, text, 'configure'));
    const error = errorOf(code, text, 'running');
    if (error.code === 'SESSION_EXPIRED') return throwError(() => error);
    this.logger.warn('genesys: error frame', { code, error });
    return EMPTY;
  }

  private onSession(session: WmSessionResponse, conn: Connection): Observable<Out> {
    if (!session.connected) {
      return throwError(() => new ServiceDeskError('CONNECT_FAILED', 'Genesys did not connect the session: retrying.', { retryable: true }));
    }
    if (session.readOnly && !this.established && !conn.startedNew) {
      // A new chat whose (authenticated) identity still has a finished conversation: start a fresh one.
      conn.startedNew = true;
      return this.configure(conn, true);
    }
    const resuming = this.established;
    if (resuming && session.newSession) {
      return throwError(
        () => new ServiceDeskError('SESSION_EXPIRED', 'Genesys no longer knows this chat session (it expired or was cleared): start a new chat.'),
      );
    }
    this.established = true;
    conn.configured = true;
    conn.configured$.next();
    const capabilities = capabilitiesOf(session);
    const head: Out[] = [
      ...(capabilities ? [{ type: 'capabilities' as const, capabilities }] : []),
      ...this.persist(),
      { type: 'connected', resumed: !session.newSession },
    ];
    const fill$ = resuming ? this.fillGap(conn) : EMPTY;
    const ended$ = session.readOnly ? of<Out>({ type: 'chatEnded', reason: 'The agent ended the chat (read-only conversation).' }) : EMPTY;
    const ready$ = defer(() => {
      if (!session.readOnly) {
        this.ready$.next(conn);
        this.kickOff(conn, !!session.newSession);
      }
      return EMPTY;
    });
    return concat(from(head), fill$, ready$, ended$);
  }

  /** First things on a usable connection: autostart, then the summary (until the server has echoed it). */
  private kickOff(conn: Connection, newSession: boolean): void {
    if (newSession && this.settings.autostart) {
      conn.send({
        action: 'onMessage',
        token: this.token,
        message: {
          type: 'Event',
          events: [{ eventType: 'Presence', presence: { type: 'Join' } }],
          ...(this.settings.customAttributes ? { channel: { metadata: { customAttributes: this.settings.customAttributes } } } : {}),
        },
        tracingId: `rx-join-${this.token}`,
      });
    }
    if (this.summary !== undefined && !this.delivered.has(this.summaryId)) {
      conn.send(frames.text(this.token, this.summary, { tracingId: this.summaryId, ...this.attributes(this.summaryId) }));
    }
  }

  /** Fetches the history the guest missed and runs it through the same handling as live frames. */
  private fillGap(conn: Connection): Observable<Out> {
    const tracingId = `rx-jwt-${++this.requests}`;
    const jwt$ = conn
      .request(frames.getJwt(this.token, tracingId), tracingId, (reply) => (reply.class === 'JwtResponse' ? reply.body.jwt : undefined))
      .pipe(throwIfEmpty(() => new ServiceDeskError('CONNECTION_LOST', 'The socket closed before Genesys sent a history JWT.', { retryable: true })));
    return jwt$.pipe(
      switchMap((jwt) =>
        fetchHistoryPages(this.settings.fetch, {
          apiUrl: this.settings.apiUrl,
          jwt,
          marker: this.marker,
          pageSize: this.settings.historyPageSize,
          maxPages: this.settings.historyMaxPages,
        }),
      ),
      timeout({
        first: this.settings.historyTimeoutMs,
        scheduler: this.scheduler,
        with: () => throwError(() => new ServiceDeskError('CONNECTION_LOST', 'The Genesys history did not arrive in time: reconnecting.', { retryable: true })),
      }),
      mergeMap((pages) => {
        const marker = this.marker;
        const found = !marker || pages.some((page) => page.entities.some((entity) => entity?.id === marker.id));
        if (!found && pages.length >= this.settings.historyMaxPages) {
          this.logger.warn('Genesys: the gap after the reconnect is longer than the history read; older missed messages are not shown', {
            pagesRead: pages.length,
            pageSize: this.settings.historyPageSize,
          });
        }
        return from(historyGap(pages, marker));
      }),
      concatMap((message) => this.onHistory(message)),
      catchError((error: unknown) =>
        throwError(() => toServiceDeskError(error, 'CONNECTION_LOST', 'The messages missed while disconnected could not be fetched.', true)),
      ),
    );
  }

  private onHistory(message: WmStructuredMessage): Observable<Out> {
    if (message.direction === 'Outbound') return this.onOutbound(message, true);
    const attribute = this.settings.messageIdAttribute;
    const hostId = attribute ? message.channel?.metadata?.customAttributes?.[attribute] : undefined;
    if (hostId) remember(this.delivered, hostId);
    return EMPTY;
  }

  private onOutbound(message: WmStructuredMessage, fromHistory: boolean): Observable<Out> {
    if (this.seen.has(message.id)) return EMPTY;
    remember(this.seen, message.id);
    const meaning = decodeOutbound(message, this.settings.agentFallbackName);
    switch (meaning.kind) {
      case 'typing':
        if (fromHistory) return EMPTY;
        return of<Out>(meaning.isTyping ? { type: 'typingFor', durationMs: meaning.durationMs } : { type: 'agentTyping', isTyping: false });
      case 'ended':
        return of<Out>({ type: 'chatEnded', reason: meaning.readOnly ? 'The agent ended the chat (read-only).' : 'The agent ended the chat.' });
      case 'botMessage':
        if (this.settings.botMessages === 'drop') return EMPTY;
        this.marker = markerOf(message);
        return from<Out[]>([agentMessageEvent(meaning.id, meaning.text, meaning.attachments), ...this.persist()]);
      case 'agentMessage': {
        const { sender } = meaning;
        const agent$ = sender.key === this.agentKey && this.agent ? of<Agent | undefined>(undefined) : this.resolveAgent(sender, message.id);
        return agent$.pipe(
          mergeMap((joined) => {
            if (joined) {
              this.agent = joined;
              this.agentKey = sender.key;
            }
            this.marker = markerOf(message);
            const events: Out[] = joined ? [{ type: 'agentJoined', agent: joined }] : [];
            events.push(agentMessageEvent(meaning.id, meaning.text, meaning.attachments, this.agent?.id), ...this.persist());
            return from(events);
          }),
        );
      }
      case 'ignored':
        return EMPTY;
    }
  }

  private resolveAgent(sender: Sender, messageId: string): Observable<Agent> {
    const lookup = this.settings.lookupProfile;
    if (!lookup) return of(agentOf(sender));
    return defer(() => lookup({ messageId, nickname: sender.nickname, ...(sender.avatarUrl ? { avatarUrl: sender.avatarUrl } : {}) })).pipe(
      timeout({ first: this.settings.lookupTimeoutMs, scheduler: this.scheduler }),
      map((profile) => agentOf(sender, profile)),
      catchError((error: unknown) => {
        this.logger.warn('genesys: agent profile lookup failed; using the message sender', { error });
        return of(agentOf(sender));
      }),
    );
  }

  /** A `persist` event when the resume state changed since the last one. */
  private persist(): Out[] {
    const state: GenesysResumeState = {
      v: 1,
      deploymentId: this.settings.deploymentId,
      token: this.token,
      ...(this.marker ? { marker: this.marker } : {}),
      ...(this.agentKey && this.agent ? { agentKey: this.agentKey, agent: this.agent } : {}),
    };
    const json = JSON.stringify(state);
    if (json === this.lastPersisted) return [];
    this.lastPersisted = json;
    return [{ type: 'persist', state }];
  }

  /** Queue updates while no agent has joined: polls `getQueueStatus` after each `connected`. */
  private withQueueUpdates(out$: Observable<DomainEvent>): Observable<DomainEvent> {
    const getQueueStatus = this.settings.getQueueStatus;
    if (!getQueueStatus) return out$;
    return out$.pipe(
      connect((shared$) => {
        const stop$ = shared$.pipe(filter((event) => event.type === 'agentJoined' || event.type === 'chatEnded'));
        const poll$ = shared$.pipe(
          filter((event) => event.type === 'connected' && this.agent === undefined),
          switchMap(() =>
            timer(0, this.settings.queuePollMs, this.scheduler).pipe(
              exhaustMap(() =>
                defer(() => getQueueStatus()).pipe(
                  catchError((error: unknown) => {
                    this.logger.debug('genesys: queue status failed', { error });
                    return of(undefined);
                  }),
                ),
              ),
              filter((status): status is QueueStatus => !!status && this.agent === undefined),
              map(
                (status): DomainEvent => ({
                  type: 'queueUpdate',
                  ...(typeof status.position === 'number' ? { position: status.position } : {}),
                  ...(typeof status.waitMinutes === 'number' ? { waitMinutes: status.waitMinutes } : {}),
                  ...(typeof status.message === 'string' ? { message: status.message } : {}),
                }),
              ),
              takeUntil(stop$),
            ),
          ),
        );
        return merge(shared$, poll$);
      }),
    );
  }

  // --- commands ---------------------------------------------------------------------------------------------------

  /** A usable connection: waits while disconnected; emits `undefined` when the previous one went away. */
  private whenReady(): Observable<Connection> {
    return this.ready$.pipe(filter((conn): conn is Connection => conn !== undefined && !conn.closed));
  }

  private attributes(hostId: string): { customAttributes?: Record<string, string> } {
    const attribute = this.settings.messageIdAttribute;
    const base = this.settings.customAttributes;
    if (!attribute && !base) return {};
    return { customAttributes: { ...base, ...(attribute ? { [attribute]: hostId } : {}) } };
  }

  /** Sends a text with the host id as tracing id and completes when the server echoes it, across reconnects. */
  private deliver(hostId: string, text: string, attachmentIds?: readonly string[]): Observable<true> {
    return this.whenReady().pipe(
      switchMap((conn) =>
        this.delivered.has(hostId)
          ? of(true as const)
          : conn.request(
              frames.text(this.token, text, { tracingId: hostId, ...(attachmentIds ? { attachmentIds } : {}), ...this.attributes(hostId) }),
              hostId,
              (reply) => (reply.class === 'StructuredMessage' && reply.body.direction === 'Inbound' && reply.tracingId === hostId ? (true as const) : undefined),
            ),
      ),
      take(1),
    );
  }

  sendMessage(message: OutgoingMessage): Observable<unknown> {
    return defer(() => this.deliver(message.id, message.text));
  }

  sendFile(file: OutgoingFile): Observable<unknown> {
    return this.whenReady().pipe(
      take(1),
      switchMap((conn) => this.upload(conn, file)),
      switchMap((attachmentId) => this.deliver(file.id, '', [attachmentId])),
    );
  }

  private upload(conn: Connection, file: OutgoingFile): Observable<string> {
    const attachmentId = this.settings.randomId();
    const tracingId = `rx-upload-${attachmentId}`;
    const closed = () => new ServiceDeskError('UPLOAD_FAILED', 'The connection dropped during the upload.', { retryable: true });
    const failed = (message: string) => new ServiceDeskError('UPLOAD_FAILED', `Genesys refused ${file.name}: ${message}`);
    const presigned$ = conn.request(
      frames.attachment(this.token, { attachmentId, fileName: file.name, fileType: file.type, fileSize: file.size }, tracingId),
      tracingId,
      (reply) =>
        (reply.class === 'PresignedUrlResponse' || reply.class === 'GenerateUrlError') && reply.body.attachmentId === attachmentId ? reply : undefined,
    );
    return presigned$.pipe(
      throwIfEmpty(closed),
      switchMap((reply) => {
        if (reply.class === 'GenerateUrlError') return throwError(() => failed(reply.body.errorMessage));
        if (reply.class !== 'PresignedUrlResponse') return throwError(closed);
        const done$ = conn.frames$.pipe(
          mergeMap((event) => {
            if (event.class === 'UploadSuccessEvent' && event.body.attachmentId === attachmentId) return of(attachmentId);
            if (event.class === 'UploadFailureEvent' && event.body.attachmentId === attachmentId) return throwError(() => failed(event.body.errorMessage));
            return EMPTY;
          }),
        );
        const put$ = putFile(this.settings.fetch, reply.body.url, { ...reply.body.headers }, file.file);
        return merge(done$, put$).pipe(take(1), throwIfEmpty(closed));
      }),
    );
  }

  sendTyping(isTyping: boolean): Observable<unknown> {
    return defer(() => {
      const conn = this.ready$.value;
      const now = this.scheduler.now();
      if (!isTyping || this.typingDisabled || !conn || now - this.lastTypingAt < this.settings.typingCooldownMs) return of(undefined);
      this.lastTypingAt = now;
      conn.send(frames.typing(this.token, `rx-typing-${++this.requests}`));
      return of(undefined);
    });
  }

  end(): Observable<unknown> {
    return defer(() => {
      this.ending = true;
      const conn = this.ready$.value;
      if (!conn || this.settings.endAction === 'close') return of(undefined);
      const tracingId = `rx-clear-${++this.requests}`;
      return conn
        .request(frames.presence(this.token, 'Clear', tracingId), tracingId, (reply) =>
          reply.class === 'SessionClearedEvent' || reply.class === 'ConnectionClosedEvent' ? true : undefined,
        )
        .pipe(
          catchError((error: unknown) => {
            this.logger.info('genesys: the conversation could not be cleared; closing the socket', { error, retryable: isRetryable(error) });
            return of(undefined);
          }),
          finalize(() => this.logger.debug('genesys: left the chat')),
        );
    });
  }
}

function markerOf(message: WmStructuredMessage): HistoryMarker {
  const time = message.channel?.time;
  return time ? { id: message.id, time } : { id: message.id };
}
