import { catchError, concatMap, defer, from, map, Observable, of, switchMap, throwError, toArray } from 'rxjs';
import type { ServiceDeskAdapter } from '../../core/adapter.js';
import { createAdapter } from '../../core/engine/engine.js';
import type { AdapterEvent, AdapterPort, CommonAdapterOptions, HistoryPage, PortRequest, PortSession } from '../../core/engine/port.js';
import { ServiceDeskError } from '../../core/errors.js';
import type { Capabilities } from '../../core/events.js';
import type { AmazonConnectChat } from '../../core/middleware-contract.js';
import { decodeConnectItem, isObject, type Decoded } from './decode.js';
import { CONNECT_EVENT } from './protocol.js';
import type { ChatJs, ChatJsCustomerSession } from './types.js';

/** What the adapter keeps to reconnect, also after a page reload: the chat's ids and participant token. */
export interface ConnectSession {
  readonly contactId: string;
  readonly participantId: string;
  readonly participantToken: string;
}

type ConnectEvent = AdapterEvent<ConnectSession>;

/** Options of {@link amazonConnect}. */
export interface AmazonConnectOptions extends CommonAdapterOptions<ConnectSession> {
  /** `window.connect` of `amazon-connect-chatjs` (set its endpoint and logger with `connect.ChatSession.setGlobalConfig`). */
  chatjs: ChatJs;
  /** The AWS region of the Connect instance, e.g. `us-east-1`. */
  region: string;
  /**
   * Starts a chat through your middleware (`POST /amazon-connect/chat` of `rx-service-desk/server`), passing
   * `initialMessage` (the conversation summary) and your routing attributes and pre-chat data.
   */
  startChat(request: {
    readonly initialMessage?: string;
    readonly startPayload?: unknown;
    /** The chat's routing context (`SessionRequest.context.attributes`): send it as the contact's `attributes`. */
    readonly attributes?: Readonly<Record<string, string>>;
  }): PromiseLike<AmazonConnectChat>;
  /** How long an agent's typing indicator shows without a new typing event (Connect sends no "stopped"). Default 12 000. */
  agentTypingMs?: number;
}

/** Attachment types and size Amazon Connect accepts by default (Amazon Connect admin guide, "Enable attachments"). */
const CONNECT_FILES: Capabilities = {
  allowFileUploads: true,
  allowMultipleFileUploads: false,
  allowedFileUploadTypes: '.csv,.doc,.docx,.heic,.jfif,.jpeg,.jpg,.mov,.mp4,.pdf,.png,.ppt,.pptx,.rtf,.txt,.wav,.xls,.xlsx',
  maxFileSizeBytes: 20 * 1024 * 1024,
};

/**
 * How long the last agent's leave waits before it shows: Connect sends chat.ended right after the agent's
 * participant.left when the contact has no disconnect flow, and then only the end shows.
 */
const LEAVE_GRACE_MS = 5_000;

const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);

/** Reads a saved or started session: the three ids, from either the API's or the middleware's spelling. */
function readSession(value: unknown): ConnectSession | undefined {
  if (!isObject(value)) return undefined;
  const contactId = text(value.contactId ?? value.ContactId);
  const participantId = text(value.participantId ?? value.ParticipantId);
  const participantToken = text(value.participantToken ?? value.ParticipantToken);
  return contactId && participantId && participantToken ? { contactId, participantId, participantToken } : undefined;
}

/** The HTTP status of a chatjs rejection: `{ statusCode }` for API calls, `{ _debug: { _debug: { statusCode } } }` for `connect()`. */
function statusOf(error: unknown): number | undefined {
  for (let value = error, depth = 0; isObject(value) && depth < 3; value = value._debug, depth += 1) {
    if (typeof value.statusCode === 'number') return value.statusCode;
  }
  return undefined;
}

/** Maps a chatjs rejection: 403 = the participant token is no longer valid (terminal); 4xx refused; else retryable. */
function failure(error: unknown, what: string, code: 'SEND_FAILED' | 'UPLOAD_FAILED' | 'CONNECT_FAILED'): ServiceDeskError {
  const status = statusOf(error);
  if (status === 403 || status === 401) {
    return new ServiceDeskError('SESSION_EXPIRED', `Amazon Connect refused the participant token while trying to ${what}: the chat ended or expired. Start a new chat.`, { context: { status } });
  }
  const refused = status !== undefined && status >= 400 && status < 500 && status !== 429;
  const said = isObject(error) && typeof error.message === 'string' && error.message !== '' ? `: ${error.message.slice(0, 200)}` : '';
  return new ServiceDeskError(code, `Amazon Connect could not ${what}${status === undefined ? '' : ` (HTTP ${status})`}${said}`, { retryable: !refused, cause: error, context: { status } });
}

/** One chatjs call as a cold observable; its rejection becomes a {@link ServiceDeskError} (see {@link failure}). */
const call = <T>(what: string, code: 'SEND_FAILED' | 'UPLOAD_FAILED' | 'CONNECT_FAILED', run: () => PromiseLike<T>): Observable<T> =>
  defer(() => from(run())).pipe(catchError((error: unknown) => throwError(() => (error instanceof ServiceDeskError ? error : failure(error, what, code)))));

/** Turns a decoded item into the port's event; `undefined` when it means nothing for the user. */
type ToEvent = (decoded: Decoded | undefined, raw: unknown, chat: ChatJsCustomerSession) => ConnectEvent | undefined;

/** One transcript page: its agent messages in order (malformed items skipped with a warning), and the older page's token. */
function historyPage(data: unknown, chat: ChatJsCustomerSession, toEvent: ToEvent): HistoryPage {
  const items: unknown[] = isObject(data) && Array.isArray(data.Transcript) ? data.Transcript : [];
  const before = isObject(data) ? text(data.NextToken) : undefined;
  const events = items.flatMap((raw) => {
    const decoded = decodeConnectItem(raw);
    const event = decoded?.kind === 'event' && decoded.event.type !== 'agentMessage' ? undefined : toEvent(decoded, raw, chat);
    return event === undefined ? [] : [event];
  });
  return { events, ...(before === undefined ? {} : { before }) };
}

/** An agent's files: one message whose attachments are fetched when it is shown (`GetAttachment` URLs are short-lived). */
function agentFiles(decoded: Extract<Decoded, { kind: 'agentFiles' }>, chat: ChatJsCustomerSession): ConnectEvent {
  return {
    type: 'agentMessage',
    id: decoded.id,
    text: decoded.text,
    ...(decoded.agentId === undefined ? {} : { agentId: decoded.agentId }),
    ...(decoded.nickname === undefined ? {} : { sender: { nickname: decoded.nickname } }),
    loadAttachments: () =>
      from(decoded.files).pipe(
        concatMap((file) => from(chat.getAttachmentURL({ attachmentId: file.AttachmentId })).pipe(map((url) => ({ url, name: file.AttachmentName, mimeType: file.ContentType })))),
        toArray(),
      ),
  };
}

function connectPort(options: AmazonConnectOptions): AdapterPort<ConnectSession> {
  return {
    name: 'Amazon Connect',
    capabilities: CONNECT_FILES,
    readSession,
    open(request: PortRequest<ConnectSession>): PortSession<ConnectSession> {
      const { logger } = request;
      let chat: ChatJsCustomerSession | undefined;
      const live = (): ChatJsCustomerSession => {
        if (!chat) throw new ServiceDeskError('NOT_CONNECTED', 'The Amazon Connect chat is not connected yet.', { retryable: true });
        return chat;
      };
      const toEvent: ToEvent = (decoded, raw, current) => {
        if (decoded === undefined) logger.warn('Amazon Connect: skipped an item that is not a Connect transcript item', { type: isObject(raw) ? String(raw.Type) : typeof raw });
        if (decoded === undefined || decoded.kind === 'skip' || decoded.kind === 'transfer') return undefined;
        return decoded.kind === 'event' ? decoded.event : agentFiles(decoded, current);
      };
      const start = (): Observable<{ session: ConnectSession; resumed: boolean; fresh: boolean }> =>
        defer(() => {
          const initialMessage = request.summary.join('\n').slice(0, 1024);
          const attributes = request.context?.attributes;
          return from(
            options.startChat({
              ...(initialMessage === '' ? {} : { initialMessage }),
              ...(request.startPayload === undefined ? {} : { startPayload: request.startPayload }),
              ...(attributes && Object.keys(attributes).length ? { attributes } : {}),
            }),
          );
        }).pipe(
          map((answer) => {
            const session = readSession(answer);
            if (!session) throw new ServiceDeskError('CONNECT_FAILED', 'startChat must resolve to { contactId, participantId, participantToken } (the StartChatContact answer).');
            return { session, resumed: false, fresh: true };
          }),
        );
      const connection = (session: ConnectSession, resumed: boolean, fresh: boolean) =>
        new Observable<ConnectEvent>((subscriber) => {
          const current = options.chatjs.ChatSession.create({ chatDetails: session, type: 'CUSTOMER', disableCSM: true, options: { region: options.region } });
          chat = current;
          let connected = false;
          let lost = false;
          // A Connect transfer is transfer.succeeded, the old agent's participant.left, then (after the queue) the next
          // agent's participant.joined. The leave is held until that join, so the engine sees a join-first handover.
          let handover = false;
          let heldLeave: ConnectEvent | undefined;
          current.onMessage((message) => {
            const decoded = decodeConnectItem(message?.data);
            if (decoded?.kind === 'transfer') handover = true;
            const event = toEvent(decoded, message?.data, current);
            if (event === undefined) return;
            if (handover && event.type === 'agentLeft') {
              heldLeave = event;
              return;
            }
            subscriber.next(event);
            // The delivered receipt of an agent message (SendEvent, message.delivered), as Connect's own widget sends it.
            if (event.type === 'agentMessage') current.sendEvent({ contentType: CONNECT_EVENT.delivered, content: JSON.stringify({ messageId: event.id }) }).then(undefined, () => logger.debug('Amazon Connect: a delivered receipt failed'));
            if (event.type !== 'agentJoined') return;
            if (heldLeave) subscriber.next(heldLeave);
            [handover, heldLeave] = [false, undefined];
          });
          current.onTyping((event) => {
            const data = isObject(event?.data) ? event.data : {};
            if (data.ParticipantRole === 'AGENT') subscriber.next({ type: 'agentTyping', isTyping: true, ...(typeof data.ParticipantId === 'string' ? { agentId: data.ParticipantId } : {}), forMs: options.agentTypingMs ?? 12_000 });
          });
          current.onReadReceipt(() => subscriber.next({ type: 'agentRead' }));
          current.onConnectionLost(() => {
            if (connected && !lost) subscriber.next({ type: 'connectionLost' });
            lost = connected;
          });
          // chatjs fires CONNECTION_ESTABLISHED when connect() succeeds and again on every socket gain (bundle 5663, 5698).
          current.onConnectionEstablished(() => {
            if (!lost) return;
            lost = false;
            subscriber.next({ type: 'connectionRestored' });
          });
          current.onConnectionBroken(() => subscriber.error(new ServiceDeskError('CONNECTION_LOST', 'The Amazon Connect socket could not be opened again.', { retryable: true })));
          current.connect().then(
            () => {
              if (subscriber.closed) return;
              connected = true;
              if (fresh) subscriber.next({ type: 'sessionState', state: session });
              subscriber.next({ type: 'connected', ...(resumed ? { resumed } : {}) });
            },
            (error: unknown) => subscriber.error(failure(error, 'connect the chat', 'CONNECT_FAILED')),
          );
          return () => {
            if (chat === current) chat = undefined;
            current.controller?.cleanUpOnParticipantDisconnect?.();
            current.controller?.breakConnection?.();
          };
        });
      return {
        connect: (saved) =>
          (saved ? of({ session: saved, resumed: saved === request.resume, fresh: false }) : start()).pipe(switchMap(({ session, resumed, fresh }) => connection(session, resumed, fresh))),
        sendMessage: (message) => call('send the message', 'SEND_FAILED', () => live().sendMessage({ message: message.text, contentType: 'text/plain', clientToken: message.id })),
        sendFile: (file) => call('upload the file', 'UPLOAD_FAILED', () => live().sendAttachment({ attachment: new File([file.file], file.name, { type: file.type }) })),
        sendTyping: (isTyping) => (isTyping ? call('send typing', 'SEND_FAILED', () => live().sendEvent({ contentType: CONNECT_EVENT.typing })) : of(undefined)),
        markRead: (last) => (last ? call('send the read receipt', 'SEND_FAILED', () => live().sendEvent({ contentType: CONNECT_EVENT.read, content: JSON.stringify({ messageId: last.id }) })) : of(undefined)),
        leave: () => call('leave the chat', 'SEND_FAILED', () => live().disconnectParticipant()),
        readHistory: ({ before, pageSize }) =>
          defer(() => {
            const current = live();
            const page = { maxResults: Math.min(pageSize, 100), scanDirection: 'BACKWARD' as const, sortOrder: 'ASCENDING' as const, ...(typeof before === 'string' ? { nextToken: before } : {}) };
            return call('read the transcript', 'CONNECT_FAILED', () => current.getTranscript(page)).pipe(map((answer) => historyPage(answer?.data, current, toEvent)));
          }),
      };
    },
  };
}

/**
 * Creates a service desk adapter for Amazon Connect Chat, as the CUSTOMER participant of `amazon-connect-chatjs`
 * (an optional peer, passed in). Your middleware starts the chat (`StartChatContact`, never in the browser); the
 * adapter connects with the participant token, keeps it to reconnect (also after a page reload, while the chat
 * lives), and reads the transcript to fill gaps. Connect has no queue position: contact-flow messages show as queue
 * lines.
 *
 * @example
 * import 'amazon-connect-chatjs';
 * import { amazonConnect } from 'rx-service-desk/amazon-connect';
 *
 * window.connect.ChatSession.setGlobalConfig({ region: 'us-east-1' });
 * const adapter = amazonConnect({
 *   chatjs: window.connect,
 *   region: 'us-east-1',
 *   startChat: ({ initialMessage, attributes }) =>
 *     fetch('/service-desk/amazon-connect/chat', {
 *       method: 'POST',
 *       headers: { 'Content-Type': 'application/json' },
 *       body: JSON.stringify({ initialMessage, attributes }),
 *     }).then((r) => r.json()),
 * });
 */
export function amazonConnect(options: AmazonConnectOptions): ServiceDeskAdapter {
  if (!options || !isObject(options.chatjs) || !isObject(options.chatjs.ChatSession) || typeof options.chatjs.ChatSession.create !== 'function') {
    throw new ServiceDeskError('CONFIG', 'amazonConnect needs { chatjs }: import "amazon-connect-chatjs" and pass window.connect.');
  }
  if (typeof options.startChat !== 'function') throw new ServiceDeskError('CONFIG', 'amazonConnect needs startChat(): call your middleware (POST /amazon-connect/chat).');
  if (typeof options.region !== 'string' || options.region === '') throw new ServiceDeskError('CONFIG', 'amazonConnect needs the region of your Connect instance, e.g. "us-east-1".');
  return createAdapter(connectPort(options), { transferGraceMs: LEAVE_GRACE_MS, ...options });
}
