import {
  BehaviorSubject,
  EMPTY,
  Observable,
  catchError,
  concatMap,
  connect,
  defer,
  filter,
  from,
  ignoreElements,
  map,
  merge,
  mergeMap,
  of,
  shareReplay,
  switchMap,
  take,
  tap,
  throwError,
  throwIfEmpty,
  timer,
} from 'rxjs';
import type { OutgoingFile, OutgoingMessage } from '../../core/adapter.js';
import type { GenesysAgentProfile } from '../../core/middleware-contract.js';
import type { AdapterEvent, AdapterPort, HistoryPage, PortRequest, PortSession } from '../../core/engine/port.js';
import { ServiceDeskError, toServiceDeskError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { Connection } from './connection.js';
import { MalformedFrameError, capabilitiesOf, errorOf, eventsOf, historyEvents, parseFrame, type DecodeOptions } from './decode.js';
import { fetchHistoryPage, putFile, type FetchLike } from './http.js';
import { frames, type WmInboundFrame, type WmJourneyContext, type WmSessionResponse } from './protocol.js';
import type { SocketCloseEvent, SocketFactory, SocketMessageEvent } from './socket.js';

/** The Web Messaging chat the engine keeps, saves and hands back on a reconnect or a resume after a page reload. */
export interface GenesysSession {
  readonly deploymentId: string;
  /** The Web Messaging session token (made by the guest, a UUID). */
  readonly token: string;
}

/** What the port needs, resolved from the adapter options. */
export interface GenesysPortSettings extends DecodeOptions {
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
  readonly lookupProfile?: (sender: { messageId: string; nickname: string; avatarUrl?: string }) => PromiseLike<Partial<GenesysAgentProfile> | null | undefined>;
  readonly heartbeatMs: number;
  readonly formatSummary: ((lines: readonly string[]) => string | undefined) | false;
  readonly autostart: boolean;
}

type SocketSignal =
  | { readonly kind: 'open' }
  | { readonly kind: 'message'; readonly data: unknown }
  | { readonly kind: 'close'; readonly code: number; readonly reason: string }
  | { readonly kind: 'error' };

type Event = AdapterEvent<GenesysSession>;

/** The tracing id of heartbeat echoes. */
const HEARTBEAT_TRACING_ID = 'rx-heartbeat';

/**
 * Reads saved session state back: the session when it is usable for this deployment, `undefined` otherwise (then
 * `reconnect()` answers false).
 *
 * @example
 * readGenesysSession({ deploymentId: 'd1', token: 't1' }, 'd1'); // { deploymentId: 'd1', token: 't1' }
 * readGenesysSession({ deploymentId: 'd2', token: 't1' }, 'd1'); // undefined
 */
export function readGenesysSession(saved: unknown, deploymentId: string): GenesysSession | undefined {
  if (typeof saved !== 'object' || saved === null) return undefined;
  const { token, deploymentId: savedDeployment } = saved as Partial<GenesysSession>;
  return typeof token === 'string' && token !== '' && savedDeployment === deploymentId ? { deploymentId, token } : undefined;
}

const lost = (what: string) => () => new ServiceDeskError('CONNECTION_LOST', `The socket closed before Genesys answered ${what}.`, { retryable: true });

/**
 * Genesys Cloud Web Messaging as a vendor port for the adapter engine: one socket per `connect` subscription
 * (configure or resume the session, heartbeat echoes, frames decoded into adapter events), user messages and files
 * tagged with the host id as `tracingId` and done on their echo, one REST history page per read (with a JWT asked
 * on the socket), Presence `Clear` to leave.
 *
 * @example
 * const adapter = createAdapter(genesysPort(settings), { transferGraceMs: 0 });
 */
export function genesysPort(settings: GenesysPortSettings): AdapterPort<GenesysSession> {
  return {
    name: 'Genesys Cloud Web Messaging',
    capabilities: { allowFileUploads: true, allowMultipleFileUploads: true, allowedFileUploadTypes: '' },
    readSession: (saved) => readGenesysSession(saved, settings.deploymentId),
    open: (request) => openChat(settings, request),
  };
}

/** Genesys refuses custom attributes over 2 KB per message (CustomAttributesTooLarge, 4013). */
const MAX_CUSTOM_ATTRIBUTES_BYTES = 2_048;

/**
 * The custom attributes of one chat: the chat's routing context (`context.attributes`: the assistant's additional
 * data, the pre-chat form) under the configured ones, which win. The context is left out when both would pass
 * Genesys' 2 KB limit.
 */
function chatAttributes(
  configured: Readonly<Record<string, string>> | undefined,
  context: Readonly<Record<string, string>> | undefined,
  logger: Logger,
): Readonly<Record<string, string>> | undefined {
  if (!context || !Object.keys(context).length) return configured;
  const merged = { ...context, ...configured };
  if (new TextEncoder().encode(JSON.stringify(merged)).length <= MAX_CUSTOM_ATTRIBUTES_BYTES) return merged;
  logger.warn('Genesys: the routing context does not fit in 2 KB of custom attributes with the configured ones; sent without it', { keys: Object.keys(context).slice(0, 10) });
  return configured;
}

function openChat(settings: GenesysPortSettings, request: PortRequest<GenesysSession>): PortSession<GenesysSession> {
  const { logger, scheduler } = request;
  const session: GenesysSession = { deploymentId: settings.deploymentId, token: request.resume?.token ?? settings.randomId() };
  const { token } = session;
  const summaryId = `rx-summary-${token}`;
  const summaryText = request.resume || settings.formatSummary === false ? undefined : settings.formatSummary(request.summary)?.trim() || undefined;
  const customAttributes = chatAttributes(settings.customAttributes, request.context?.attributes, logger);
  /** The configured connection commands use; none while disconnected. */
  const ready$ = new BehaviorSubject<Connection | undefined>(undefined);
  let summaryDelivered = false;
  let leaving = false;
  let typingRefused = false;
  let requests = 0;
  const nextTracingId = (kind: string) => `rx-${kind}-${++requests}`;
  const usable$ = ready$.pipe(filter((conn): conn is Connection => conn !== undefined && !conn.closed));
  const whenReady = () => usable$.pipe(take(1));

  const configure = (conn: Connection, startNew: boolean): Observable<never> => {
    const getAuthCode = settings.getAuthCode;
    const code$: Observable<string | undefined> = getAuthCode
      ? defer(() => getAuthCode()).pipe(
          catchError((error: unknown) =>
            throwError(() => toServiceDeskError(error, 'AUTH_FAILED', 'getAuthCode failed: the authenticated Genesys session needs a fresh code.')),
          ),
        )
      : of(undefined);
    if (startNew) conn.startedNew = true;
    return code$.pipe(
      tap((authCode) =>
        conn.send(
          frames.configure({
            token,
            deploymentId: settings.deploymentId,
            ...(startNew ? { startNew } : {}),
            ...(settings.journeyContext ? { journeyContext: settings.journeyContext } : {}),
            ...(authCode !== undefined ? { authCode } : {}),
          }),
        ),
      ),
      ignoreElements(),
    );
  };

  const attributes = (hostId: string): { customAttributes?: Record<string, string> } => {
    const attribute = settings.messageIdAttribute;
    if (!attribute && !customAttributes) return {};
    return { customAttributes: { ...customAttributes, ...(attribute ? { [attribute]: hostId } : {}) } };
  };

  /** First things on a new connection: autostart, then the summary until Genesys has echoed it. */
  const kickOff = (conn: Connection, newSession: boolean) => {
    if (newSession && settings.autostart) {
      const channel = customAttributes ? { channel: { metadata: { customAttributes } } } : {};
      conn.send({
        action: 'onMessage',
        token,
        message: { type: 'Event', events: [{ eventType: 'Presence', presence: { type: 'Join' } }], ...channel },
        tracingId: `rx-join-${token}`,
      });
    }
    if (summaryText !== undefined && !summaryDelivered) conn.send(frames.text(token, summaryText, { tracingId: summaryId, ...attributes(summaryId) }));
  };

  const onSession = (body: WmSessionResponse, conn: Connection, resuming: boolean): Observable<Event> => {
    if (!body.connected) {
      return throwError(() => new ServiceDeskError('CONNECT_FAILED', 'Genesys did not connect the session: retrying.', { retryable: true }));
    }
    if (body.readOnly && !resuming && !conn.startedNew) {
      // A new chat whose (authenticated) identity still has a finished conversation: start a fresh one.
      return configure(conn, true);
    }
    if (resuming && body.newSession) {
      return throwError(() => new ServiceDeskError('SESSION_EXPIRED', 'Genesys no longer knows this chat session (it expired or was cleared): start a new chat.'));
    }
    conn.configured = true;
    conn.configured$.next();
    ready$.next(conn);
    if (!body.readOnly) kickOff(conn, !!body.newSession);
    const capabilities = capabilitiesOf(body);
    return from<Event[]>([
      ...(capabilities ? [{ type: 'capabilities' as const, capabilities }] : []),
      { type: 'sessionState', state: session },
      { type: 'connected', resumed: !body.newSession },
      ...(body.readOnly ? [{ type: 'chatEnded' as const, reason: 'The agent ended the chat (read-only conversation).' }] : []),
    ]);
  };

  const onError = (code: number, text: string | undefined, tracingId: string | undefined, conn: Connection): Observable<Event> => {
    if (tracingId && conn.pending.has(tracingId)) return EMPTY;
    if (tracingId?.startsWith('rx-typing-')) {
      if (code === 403) typingRefused = true;
      logger.debug('genesys: typing indicator refused (showUserTypingIndicator off?)', { code });
      return EMPTY;
    }
    if (!conn.configured) return throwError(() => errorOf(code, text, 'configure'));
    const error = errorOf(code, text, 'running');
    if (error.code === 'SESSION_EXPIRED') return throwError(() => error);
    logger.warn('genesys: error frame', { code, error });
    return EMPTY;
  };

  /** One frame, in arrival order. */
  const handle = (frame: WmInboundFrame, conn: Connection, resuming: boolean): Observable<Event> => {
    switch (frame.class) {
      case 'SessionResponse':
        return onSession(frame.body, conn, resuming);
      case 'StructuredMessage':
        if (frame.body.direction === 'Outbound') return from(eventsOf(frame.body, settings, true) as Event[]);
        return frame.tracingId ? of<Event>({ type: 'userMessageSeen', messageId: frame.tracingId }) : EMPTY;
      case 'SessionExpiredEvent':
        return throwError(() => new ServiceDeskError('SESSION_EXPIRED', 'The Genesys Web Messaging session expired: start a new chat.'));
      case 'SessionClearedEvent':
        return leaving ? EMPTY : of<Event>({ type: 'chatEnded', reason: 'The conversation was cleared.' });
      case 'ConnectionClosedEvent':
        if (leaving) return EMPTY;
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
        return onError(frame.code, frame.body, frame.tracingId, conn);
      case 'TooManyRequestsErrorMessage':
        if (!frame.tracingId || !conn.pending.has(frame.tracingId)) logger.warn('genesys: rate limited', { retryAfter: frame.body.retryAfter });
        return EMPTY;
      default:
        return EMPTY;
    }
  };

  /** Socket signals to parsed frames; replies for commands are fanned out here, before the ordered handling. */
  const intake = (signal: SocketSignal, conn: Connection): Observable<WmInboundFrame> => {
    switch (signal.kind) {
      case 'open':
        return configure(conn, false);
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
          logger.warn('genesys: skipped a malformed frame', { reason: error.message });
          return EMPTY;
        }
        if (frame.class === 'StructuredMessage' && frame.tracingId === HEARTBEAT_TRACING_ID) {
          conn.awaitingEcho = false;
          return EMPTY;
        }
        if (frame.class === 'StructuredMessage' && frame.body.direction === 'Inbound' && frame.tracingId === summaryId) summaryDelivered = true;
        conn.frames$.next(frame);
        return of(frame);
      }
    }
  };

  const connectSocket = (saved: GenesysSession | undefined): Observable<Event> =>
    defer(() => {
      const conn = new Connection();
      const resuming = saved !== undefined;
      const signals$ = new Observable<SocketSignal>((subscriber) => {
        const socket = settings.socketFactory(settings.socketUrl);
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
          if (ready$.value === conn) ready$.next(undefined);
          conn.dispose();
        };
      });
      // Two heartbeat periods without the echo of the first mean a dead socket (it may stall without closing).
      const heartbeat$ = conn.configured$.pipe(
        take(1),
        switchMap(() => timer(settings.heartbeatMs, settings.heartbeatMs, scheduler)),
        tap(() => {
          if (conn.awaitingEcho) {
            throw new ServiceDeskError('CONNECTION_LOST', `Genesys did not answer the heartbeat within ${settings.heartbeatMs} ms: reconnecting.`, { retryable: true });
          }
          conn.awaitingEcho = true;
          conn.send(frames.echo(token, HEARTBEAT_TRACING_ID));
        }),
        ignoreElements(),
      );
      return signals$.pipe(
        mergeMap((signal) => intake(signal, conn)),
        connect((frames$) => merge(frames$.pipe(concatMap((frame) => handle(frame, conn, resuming))), heartbeat$)),
      );
    });

  /**
   * Sends the text (with `attachmentIds`) of the host message `hostId` on `conn` and waits for its echo: true once
   * echoed. The socket closing first fails it retryably; the engine then reads the history before sending it again.
   */
  const deliver = (conn: Connection, hostId: string, text: string, attachmentIds?: readonly string[]): Observable<true> =>
    conn
      .request(
        frames.text(token, text, { tracingId: hostId, ...(attachmentIds ? { attachmentIds } : {}), ...attributes(hostId) }),
        hostId,
        (reply) => (reply.class === 'StructuredMessage' && reply.body.direction === 'Inbound' && reply.tracingId === hostId ? (true as const) : undefined),
      )
      .pipe(throwIfEmpty(lost('the message')));

  const upload = (conn: Connection, file: OutgoingFile): Observable<string> => {
    const attachmentId = settings.randomId();
    const tracingId = `rx-upload-${attachmentId}`;
    const closed = lost('the upload');
    const failed = (message: string) => new ServiceDeskError('UPLOAD_FAILED', `Genesys refused ${file.name}: ${message}`);
    const presigned$ = conn.request(
      frames.attachment(token, { attachmentId, fileName: file.name, fileType: file.type, fileSize: file.size }, tracingId),
      tracingId,
      (reply) => ((reply.class === 'PresignedUrlResponse' || reply.class === 'GenerateUrlError') && reply.body.attachmentId === attachmentId ? reply : undefined),
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
        return merge(done$, putFile(settings.fetch, reply.body.url, { ...reply.body.headers }, file.file)).pipe(take(1), throwIfEmpty(closed));
      }),
    );
  };

  /** The history JWT of a connection, asked once on its socket. */
  const jwts = new WeakMap<Connection, Observable<string>>();
  const jwtOf = (conn: Connection): Observable<string> => {
    let jwt$ = jwts.get(conn);
    if (!jwt$) {
      const tracingId = nextTracingId('jwt');
      jwt$ = conn
        .request(frames.getJwt(token, tracingId), tracingId, (reply) => (reply.class === 'JwtResponse' ? reply.body.jwt : undefined))
        .pipe(throwIfEmpty(lost('the history JWT request')), shareReplay({ bufferSize: 1, refCount: false }));
      jwts.set(conn, jwt$);
    }
    return jwt$;
  };

  const lookupProfile = settings.lookupProfile;
  return {
    connect: connectSocket,
    sendMessage: (message: OutgoingMessage) => whenReady().pipe(switchMap((conn) => deliver(conn, message.id, message.text))),
    sendFile: (file) =>
      whenReady().pipe(switchMap((conn) => upload(conn, file).pipe(switchMap((attachmentId) => deliver(conn, file.id, '', [attachmentId]))))),
    sendTyping: (isTyping) =>
      defer(() => {
        const conn = ready$.value;
        if (isTyping && !typingRefused && conn && !conn.closed) conn.send(frames.typing(token, nextTracingId('typing')));
        return of(undefined);
      }),
    leave: () =>
      defer(() => {
        leaving = true;
        const conn = ready$.value;
        if (!conn || conn.closed) return EMPTY;
        const tracingId = nextTracingId('clear');
        return conn.request(frames.presence(token, 'Clear', tracingId), tracingId, (reply) =>
          reply.class === 'SessionClearedEvent' || reply.class === 'ConnectionClosedEvent' ? true : undefined,
        );
      }),
    readHistory: ({ before, pageSize }) =>
      whenReady().pipe(
        switchMap((conn) => jwtOf(conn)),
        switchMap((jwt) => {
          const pageNumber = typeof before === 'number' ? before : 1;
          return fetchHistoryPage(settings.fetch, { apiUrl: settings.apiUrl, jwt, pageNumber, pageSize }).pipe(
            map((page): HistoryPage => {
              const events = historyEvents(page, settings) as Event[];
              const more = page.entities.length > 0 && typeof page.pageCount === 'number' && pageNumber < page.pageCount;
              return more ? { events, before: pageNumber + 1 } : { events };
            }),
          );
        }),
      ),
    ...(lookupProfile
      ? {
          lookupAgent: (agent, context) =>
            defer(() =>
              lookupProfile({
                messageId: context.messageId ?? '',
                nickname: agent.nickname ?? settings.agentFallbackName,
                ...(agent.avatarUrl ? { avatarUrl: agent.avatarUrl } : {}),
              }),
            ).pipe(map((profile) => (profile ? { ...(profile.nickname ? { nickname: profile.nickname } : {}), ...(profile.avatarUrl ? { avatarUrl: profile.avatarUrl } : {}) } : undefined))),
        }
      : {}),
  };
}
