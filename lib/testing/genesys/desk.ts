import { asyncScheduler, type SchedulerLike, type Subscription } from 'rxjs';
import type {
  WmAttachment,
  WmContent,
  WmEvent,
  WmHistoryPage,
  WmInboundFrame,
  WmSessionResponse,
  WmStructuredMessage,
} from '../../adapters/genesys/protocol.js';

/** Options of {@link fakeGenesysDesk}. Every timing is in milliseconds of `scheduler` time. */
export interface GenesysDeskOptions {
  /** The deployment id the desk accepts. Default `'sim-deployment'`. */
  deploymentId?: string;
  /** MIME types guests may upload (`'*\/*'` = any). Default `['*\/*']`. */
  allowedFileTypes?: readonly string[];
  /** Largest upload. Default 10 240 KB. */
  maxFileSizeKB?: number;
  /** Whether guest typing is on (`showUserTypingIndicator`); off answers 403 like Genesys. Default `true`. */
  userTypingEnabled?: boolean;
  /** Whether Presence `Clear` is allowed (`conversationClear.enabled`). Default `true`. */
  clearEnabled?: boolean;
  /** Accepts or refuses the code of `configureAuthenticatedSession`. Default: any non-empty code. */
  acceptAuthCode?: (code: string) => boolean;
  /** Agent typing duration sent with Typing `On`. Default 5 000. */
  typingDurationMs?: number;
  /** Largest guest frame, in bytes; a bigger one closes the socket with 1009. Default 262 144 (256 KB). */
  maxFrameBytes?: number;
  /**
   * The browser origins allowed to open a guest socket. Default: loopback pages only (`http(s)://127.0.0.1`,
   * `localhost` or `[::1]`, any port). A guest without an `Origin` (not a browser) is always allowed.
   */
  allowedOrigins?: readonly string[] | ((origin: string) => boolean);
  /** The HTTP base of the upload and file URLs the desk hands out. Default `'http://127.0.0.1'`. */
  baseUrl?: string;
  /** Stalls, timestamps, JWT expiry and `nextGuestMessage` timeouts run on it. Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
  /** Makes session JWTs and message, file and correlation ids. Default: a counter (`sim-1`, `sim-2`, ...). */
  randomId?: () => string;
}

/** A guest message the desk accepted (once per tracing id). */
export interface SimGuestMessage {
  readonly token: string;
  readonly id: string;
  readonly text: string;
  readonly tracingId?: string;
  readonly attachments: readonly WmAttachment[];
  readonly customAttributes?: Readonly<Record<string, string>>;
}

/** A file the agent sends with {@link GenesysAgentControls.attach}. */
export interface SimFile {
  readonly name: string;
  readonly type: string;
  /** The file's bytes, served by the desk; or give `url` instead. */
  readonly data?: Uint8Array | string;
  /** A file stored elsewhere: the desk sends this link and serves nothing. */
  readonly url?: string;
  /** Text sent with the file. Default empty. */
  readonly text?: string;
}

/** What the guest did, for the desk's event hooks. */
export interface SimEvents {
  /** A socket connected (before it configured a session). */
  connection: { readonly connections: number };
  /** A socket closed. */
  disconnection: { readonly connections: number; readonly token?: string };
  /** A session was configured (`newSession` false = resumed). */
  session: { readonly token: string; readonly newSession: boolean; readonly readOnly: boolean };
  /** A guest text (deduplicated by tracing id). */
  guestMessage: SimGuestMessage;
  /** The guest typed. */
  guestTyping: { readonly token: string };
  /** A guest file arrived at the upload URL. */
  upload: { readonly token: string; readonly attachmentId: string; readonly fileName: string; readonly size: number };
  /** The guest cleared (ended) the conversation. */
  cleared: { readonly token: string };
  /** Anything the guest sent, parsed (or the raw text when it was not JSON). */
  frame: { readonly token?: string; readonly frame: unknown };
}

/** The agent side of a Web Messaging desk and what it saw. Every agent action targets the latest session. */
export interface GenesysAgentControls {
  readonly deploymentId: string;
  /** Guest sockets open now. */
  readonly connections: number;
  /** Guest sockets opened so far. */
  readonly totalConnections: number;
  /** Every guest message accepted so far, in order, each once. */
  readonly guestMessages: readonly SimGuestMessage[];
  /** The token of the session agent actions target (the latest configured), if any. */
  readonly activeToken: string | undefined;
  /** The agent joins: Web Messaging has no join event, so the guest sees their first message. Returns its id. */
  join(name: string, image?: string, greeting?: string): string;
  /** The chat goes to an agent without a word: the guest sees nothing until the agent's first message. */
  assign(name: string, image?: string): void;
  /** The current agent sends text. Returns the message id. */
  say(text: string): string;
  /** The current agent sends a file (served by the desk). Returns the message id. */
  attach(file: SimFile): string;
  /** A bot (Architect flow) message. Returns its id. */
  bot(text: string): string;
  /** The current agent types (Typing `On` with a duration). */
  typing(durationMs?: number): void;
  /** Hands the chat to another agent, who greets the guest. Returns the greeting's id. */
  transfer(toName: string, image?: string, greeting?: string): string;
  /** The agent ends the conversation (Presence `Disconnect`); `readOnly` blocks further guest messages. */
  end(options?: { readOnly?: boolean }): void;
  /** Kills the guest sockets without a close frame (the guest sees 1006). Messages keep going to the history. */
  drop(): void;
  /** The next guest message is accepted (stored) but its echo is lost: the guest sockets drop instead. */
  dropBeforeNextEcho(): void;
  /** The desk stops answering for `ms`: frames both ways are held, then delivered. */
  stall(ms: number): void;
  /** Refuses every `configureSession` from now on (a wrong or inactive deployment). */
  rejectDeployment(message?: string): void;
  /** Accepts sessions again after {@link GenesysAgentControls.rejectDeployment}. */
  acceptDeployment(): void;
  /** Sends `SessionExpiredEvent` and forgets the session. */
  expireSession(): void;
  /** Sends any frame (an object is JSON-encoded) to the guest sockets of the latest session, e.g. a malformed one. */
  sendRaw(frame: string | object): void;
  /** Listens to what the guest does. Returns a function that stops listening. */
  on<K extends keyof SimEvents>(event: K, handler: (payload: SimEvents[K]) => void): () => void;
  /** The next guest message accepted from now on; rejects after `timeoutMs` (default 5 000) of scheduler time. */
  nextGuestMessage(timeoutMs?: number): Promise<SimGuestMessage>;
}

/** The server end of one guest socket, given by a transport to {@link GenesysDesk.connect}. */
export interface GuestLink {
  /** Sends a text frame to the guest. */
  send(data: string): void;
  /** Closes with a close frame. */
  close(code: number, reason: string): void;
  /** Drops the connection without a close frame (the guest sees 1006). */
  terminate(): void;
}

/** What a transport tells the desk about one guest socket. */
export interface GuestConnection {
  /** A text frame from the guest (at most `maxFrameBytes`: the transport refuses bigger ones). */
  receive(data: string): void;
  /** The socket closed, either side. Idempotent. */
  closed(): void;
}

/** One HTTP request to the desk's REST side (history, uploads, files). */
export interface DeskHttpRequest {
  readonly method: string;
  /** Path and query, e.g. `/api/v2/webmessaging/messages?pageSize=25`. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** The PUT body of an upload. */
  readonly body?: Uint8Array | Blob;
}

/** The desk's answer: JSON, or the bytes of a file. */
export interface DeskHttpResponse {
  readonly status: number;
  readonly json?: unknown;
  readonly file?: { readonly data: Uint8Array | Blob; readonly type: string };
}

/** A transport-free Web Messaging desk: the protocol, the agent controls and the hooks transports plug into. */
export interface GenesysDesk extends GenesysAgentControls {
  /** The largest guest frame a transport may pass on. */
  readonly maxFrameBytes: number;
  /** Whether a guest socket from this browser origin (`undefined`: not a browser) may connect. */
  acceptsOrigin(origin: string | undefined): boolean;
  /** A guest socket opened: the desk talks to it through `link`. */
  connect(link: GuestLink): GuestConnection;
  /** Answers a REST request. */
  http(request: DeskHttpRequest): DeskHttpResponse;
  /** Drops every guest socket and cancels the desk's timers. */
  dispose(): void;
}

interface SimUpload {
  readonly attachmentId: string;
  readonly fileName: string;
  readonly fileType: string;
  readonly tagging: string;
  size?: number;
  downloadUrl?: string;
}

interface SimSession {
  readonly token: string;
  readonly jwt: string;
  readonly sockets: Set<GuestSocket>;
  history: WmStructuredMessage[];
  readonly echoes: Map<string, WmStructuredMessage>;
  readonly uploads: Map<string, SimUpload>;
  agent?: { readonly nickname: string; readonly image?: string };
  readOnly: boolean;
}

interface GuestSocket {
  readonly link: GuestLink;
  token?: string;
  open: boolean;
  stalled: boolean;
  readonly held: (() => void)[];
}

interface StoredFile {
  readonly data: Uint8Array | Blob;
  readonly type: string;
}

type Json = Record<string, unknown>;
const LOOPBACK_ORIGIN = /^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d{1,5})?$/;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

function typeAllowed(allowed: readonly string[], type: string): boolean {
  return allowed.some((rule) => rule === '*/*' || rule === type || (rule.endsWith('/*') && type.startsWith(rule.slice(0, -1))));
}

function originRule(allowed: GenesysDeskOptions['allowedOrigins']): (origin: string) => boolean {
  if (typeof allowed === 'function') return allowed;
  if (allowed) return (origin) => allowed.includes(origin);
  return (origin) => LOOPBACK_ORIGIN.test(origin);
}

function counterIds(): () => string {
  let next = 0;
  return () => `sim-${++next}`;
}

/**
 * Makes a Genesys Cloud Web Messaging desk without any transport: the subset of the guest protocol that
 * `rx-service-desk/genesys` uses (configure and resume sessions, messages deduplicated by tracing id, typing,
 * presence, echo, JWT + REST history, presigned uploads, read-only end), and an agent API to script a conversation.
 * Transports plug in through {@link GenesysDesk.connect} and {@link GenesysDesk.http}: `inMemoryGenesys` (virtual
 * time, for specs) and `startGenesysSimulator` (real ws/http sockets, for the demo). Frames and error codes follow
 * the protocol notes (vendor-protocols.md §6.1-6.4: configure/resume, `startNew`, echo, getJwt, onAttachment and
 * its presigned PUT with `x-amz-tagging`, Presence Clear -> SessionClearedEvent + ConnectionClosedEvent, 4000
 * read-only, 4007 no session, 4010/4011/4020 refusals) and the captured samples in
 * spec/adapters/genesys/fixtures; what no source confirms (tracing-id dedupe of a repeated message) is marked [U]
 * in docs/vendors/genesys.md.
 *
 * Options: see {@link GenesysDeskOptions}.
 *
 * @example
 * const desk = fakeGenesysDesk({ scheduler });
 * desk.on('guestMessage', (message) => desk.say(`You said: ${message.text}`));
 * desk.join('Ann');
 */
export function fakeGenesysDesk(options: GenesysDeskOptions = {}): GenesysDesk {
  const deploymentId = options.deploymentId ?? 'sim-deployment';
  const allowedFileTypes = options.allowedFileTypes ?? ['*/*'];
  const maxFileSizeKB = options.maxFileSizeKB ?? 10_240;
  const acceptAuthCode = options.acceptAuthCode ?? ((code: string) => code.length > 0);
  const typingDurationMs = options.typingDurationMs ?? 5_000;
  const maxFrameBytes = options.maxFrameBytes ?? 256 * 1024;
  const originAllowed = originRule(options.allowedOrigins);
  const baseUrl = (options.baseUrl ?? 'http://127.0.0.1').replace(/\/+$/, '');
  const scheduler = options.scheduler ?? asyncScheduler;
  const newId = options.randomId ?? counterIds();
  const sessions = new Map<string, SimSession>();
  const byJwt = new Map<string, SimSession>();
  const files = new Map<string, StoredFile>();
  const sockets = new Set<GuestSocket>();
  const guestMessages: SimGuestMessage[] = [];
  const handlers = new Map<keyof SimEvents, Set<(payload: never) => void>>();
  const timers = new Set<Subscription>();
  let rejecting: string | undefined;
  let stalledUntil = -Infinity;
  let loseNextEcho = false;
  let activeToken: string | undefined;
  let totalConnections = 0;

  const now = () => new Date(scheduler.now()).toISOString();
  const later = (ms: number, action: () => void): Subscription => {
    const subscription = scheduler.schedule(() => {
      timers.delete(subscription);
      action();
    }, ms);
    timers.add(subscription);
    return subscription;
  };
  const emit = <K extends keyof SimEvents>(event: K, payload: SimEvents[K]) => {
    for (const handler of [...(handlers.get(event) ?? [])]) (handler as (payload: SimEvents[K]) => void)(payload);
  };
  const on = <K extends keyof SimEvents>(event: K, handler: (payload: SimEvents[K]) => void) => {
    const set = handlers.get(event) ?? new Set();
    handlers.set(event, set);
    set.add(handler as (payload: never) => void);
    return () => void set.delete(handler as (payload: never) => void);
  };

  // --- sending -------------------------------------------------------------------------------------------------
  const write = (socket: GuestSocket, frame: WmInboundFrame | string) => {
    const data = typeof frame === 'string' ? frame : JSON.stringify(frame);
    const run = () => {
      if (socket.open) socket.link.send(data);
    };
    if (socket.stalled) socket.held.push(run);
    else run();
  };
  const broadcast = (session: SimSession, frame: WmInboundFrame | string) => {
    for (const socket of session.sockets) write(socket, frame);
  };
  const closeSocket = (socket: GuestSocket, code: number, reason: string) => {
    const run = () => {
      if (!socket.open) return;
      socket.open = false;
      socket.link.close(code, reason);
    };
    if (socket.stalled) socket.held.push(run);
    else run();
  };
  const terminate = (socket: GuestSocket) => {
    if (!socket.open) return;
    socket.open = false;
    socket.held.length = 0;
    socket.link.terminate();
  };
  const errorFrame = (code: number, body: string, tracingId?: string): WmInboundFrame => ({
    type: 'response',
    class: 'string',
    code,
    body,
    ...(tracingId ? { tracingId } : {}),
  });
  const messageFrame = (body: WmStructuredMessage, tracingId?: string): WmInboundFrame => ({
    type: 'message',
    class: 'StructuredMessage',
    code: 200,
    body,
    ...(tracingId ? { tracingId } : {}),
  });

  const active = (): SimSession => {
    const session = activeToken ? sessions.get(activeToken) : undefined;
    if (!session) throw new Error('No guest session yet: wait until the guest has connected (the "session" event).');
    return session;
  };

  const outbound = (fields: Partial<WmStructuredMessage>, from?: { nickname: string; image?: string }): WmStructuredMessage => {
    const id = newId();
    return {
      id,
      type: 'Text',
      direction: 'Outbound',
      channel: {
        time: now(),
        messageId: id,
        type: 'Private',
        ...(from ? { from: { nickname: from.nickname, ...(from.image ? { image: from.image } : {}) } } : {}),
      },
      content: [],
      ...fields,
    };
  };

  /** Stores a message in the history and sends it to every socket of the session. */
  const publish = (session: SimSession, message: WmStructuredMessage, store = true): string => {
    if (store) session.history.push(message);
    broadcast(session, messageFrame(message));
    return message.id;
  };

  const agentSays = (text: string, content: WmContent[] = []): string => {
    const session = active();
    if (!session.agent) throw new Error('No agent in the chat: call join(name) first.');
    return publish(session, outbound({ text, content, originatingEntity: 'Human' }, session.agent));
  };

  // --- guest frames --------------------------------------------------------------------------------------------
  const configure = (socket: GuestSocket, frame: Json) => {
    const token = str(frame.token);
    const tracingId = str(frame.tracingId);
    if (!token || !str(frame.deploymentId)) return write(socket, errorFrame(4020, 'Missing token or deploymentId.', tracingId));
    if (rejecting !== undefined || frame.deploymentId !== deploymentId) {
      return write(socket, errorFrame(403, rejecting || `Deployment ${String(frame.deploymentId)} is not active or does not exist.`, tracingId));
    }
    if (frame.action === 'configureAuthenticatedSession') {
      const code = isObject(frame.data) ? str(frame.data.code) : undefined;
      if (!code || !acceptAuthCode(code)) return write(socket, errorFrame(401, 'User is unauthorized', tracingId));
    }
    let session = sessions.get(token);
    let newSession = false;
    if (!session) {
      session = { token, jwt: newId(), sockets: new Set(), history: [], echoes: new Map(), uploads: new Map(), readOnly: false };
      sessions.set(token, session);
      byJwt.set(session.jwt, session);
      newSession = true;
    } else if (frame.startNew === true) {
      session.history = [];
      session.echoes.clear();
      session.readOnly = false;
      delete session.agent;
      newSession = true;
    }
    if (socket.token && socket.token !== token) sessions.get(socket.token)?.sockets.delete(socket);
    socket.token = token;
    session.sockets.add(socket);
    activeToken = token;
    const body: WmSessionResponse = {
      connected: true,
      newSession,
      readOnly: session.readOnly,
      maxCustomDataBytes: 2048,
      allowedMedia: { inbound: { fileTypes: allowedFileTypes.map((type) => ({ type })), maxFileSizeKB } },
      blockedExtensions: ['.ade', '.exe'],
      clearedExistingSession: false,
    };
    write(socket, { type: 'response', class: 'SessionResponse', code: 200, body, ...(tracingId ? { tracingId } : {}) });
    emit('session', { token, newSession, readOnly: session.readOnly });
  };

  const onText = (socket: GuestSocket, session: SimSession, message: Json, tracingId: string | undefined) => {
    if (tracingId) {
      const previous = session.echoes.get(tracingId);
      if (previous) return write(socket, messageFrame(previous, tracingId));
    }
    if (session.readOnly) return write(socket, errorFrame(4000, 'The conversation is read-only: start a new session.', tracingId));
    const text = str(message.text) ?? '';
    if (text.length > 4000) return write(socket, errorFrame(4011, 'message too long', tracingId));
    const attachments: WmAttachment[] = [];
    for (const item of Array.isArray(message.content) ? message.content : []) {
      const id = isObject(item) && isObject(item.attachment) ? str(item.attachment.id) : undefined;
      if (!id) continue;
      const upload = session.uploads.get(id);
      if (!upload?.downloadUrl) return write(socket, errorFrame(4010, `Attachment ${id} was not uploaded.`, tracingId));
      attachments.push({
        id,
        url: upload.downloadUrl,
        filename: upload.fileName,
        mime: upload.fileType,
        fileSize: upload.size ?? 0,
        mediaType: upload.fileType.startsWith('image/') ? 'Image' : 'File',
      });
    }
    if (!text && attachments.length === 0) return write(socket, errorFrame(4020, 'A message needs text or an attachment.', tracingId));
    const channel = isObject(message.channel) && isObject(message.channel.metadata) ? message.channel.metadata : undefined;
    const customAttributes = channel && isObject(channel.customAttributes) ? (channel.customAttributes as Record<string, string>) : undefined;
    const id = newId();
    const inbound: WmStructuredMessage = {
      id,
      type: 'Text',
      text,
      direction: 'Inbound',
      channel: { time: now(), messageId: id, ...(customAttributes ? { metadata: { customAttributes } } : {}) },
      content: attachments.map((attachment) => ({ contentType: 'Attachment', attachment })),
      metadata: { correlationId: newId() },
      originatingEntity: 'Human',
    };
    session.history.push(inbound);
    if (tracingId) session.echoes.set(tracingId, inbound);
    if (loseNextEcho) {
      loseNextEcho = false;
      for (const guest of session.sockets) terminate(guest);
    } else broadcast(session, messageFrame(inbound, tracingId));
    const accepted: SimGuestMessage = {
      token: session.token,
      id,
      text,
      attachments,
      ...(tracingId ? { tracingId } : {}),
      ...(customAttributes ? { customAttributes } : {}),
    };
    guestMessages.push(accepted);
    emit('guestMessage', accepted);
  };

  const clear = (session: SimSession, tracingId: string | undefined) => {
    const closing: WmInboundFrame[] = [
      { type: 'message', class: 'SessionClearedEvent', code: 200, body: {}, ...(tracingId ? { tracingId } : {}) },
      { type: 'message', class: 'ConnectionClosedEvent', code: 200, body: {} },
    ];
    for (const frame of closing) broadcast(session, frame);
    for (const socket of session.sockets) closeSocket(socket, 1000, 'cleared');
    sessions.delete(session.token);
    byJwt.delete(session.jwt);
    emit('cleared', { token: session.token });
  };

  const onEvents = (socket: GuestSocket, session: SimSession, events: unknown[], tracingId: string | undefined) => {
    for (const event of events as WmEvent[]) {
      if (!isObject(event)) continue;
      if (event.eventType === 'Typing') {
        if (options.userTypingEnabled === false) write(socket, errorFrame(403, 'Turn on the Feature Toggle or fix the configuration.', tracingId));
        else emit('guestTyping', { token: session.token });
      } else if (event.eventType === 'Presence' && event.presence?.type === 'Join') {
        const id = newId();
        const join: WmStructuredMessage = {
          id,
          type: 'Event',
          direction: 'Inbound',
          channel: { time: now(), messageId: id },
          events: [{ eventType: 'Presence', presence: { type: 'Join' } }],
        };
        session.history.push(join);
        broadcast(session, messageFrame(join, tracingId));
      } else if (event.eventType === 'Presence' && event.presence?.type === 'Clear') {
        if (options.clearEnabled === false) write(socket, errorFrame(403, 'Presence events Conversation Clear are not supported', tracingId));
        else clear(session, tracingId);
      }
    }
  };

  const onAttachment = (socket: GuestSocket, session: SimSession, frame: Json, tracingId: string | undefined) => {
    const attachmentId = str(frame.attachmentId);
    const fileName = str(frame.fileName);
    const fileType = str(frame.fileType);
    if (!attachmentId || !fileName || !fileType) return write(socket, errorFrame(4020, 'attachmentId, fileName and fileType are required.', tracingId));
    const size = typeof frame.fileSize === 'number' ? frame.fileSize : 0;
    const refuse = (errorCode: number, errorMessage: string) =>
      write(socket, { type: 'message', class: 'GenerateUrlError', code: 200, body: { attachmentId, errorCode, errorMessage }, ...(tracingId ? { tracingId } : {}) });
    if (!typeAllowed(allowedFileTypes, fileType)) return refuse(4001, `File type ${fileType} is not allowed.`);
    if (size > maxFileSizeKB * 1024) return refuse(4002, `File is larger than ${maxFileSizeKB} KB.`);
    const tagging = `simulator=${session.token.slice(0, 8)}`;
    session.uploads.set(attachmentId, { attachmentId, fileName, fileType, tagging });
    write(socket, {
      type: 'response',
      class: 'PresignedUrlResponse',
      code: 200,
      body: { attachmentId, url: `${baseUrl}/uploads/${encodeURIComponent(attachmentId)}`, headers: { 'x-amz-tagging': tagging }, fileName, fileSize: size, fileType },
      ...(tracingId ? { tracingId } : {}),
    });
  };

  const handleFrame = (socket: GuestSocket, raw: string) => {
    let frame: unknown;
    try {
      frame = JSON.parse(raw);
    } catch {
      emit('frame', { ...(socket.token ? { token: socket.token } : {}), frame: raw });
      return write(socket, errorFrame(400, 'Request failed.'));
    }
    emit('frame', { ...(socket.token ? { token: socket.token } : {}), frame });
    if (!isObject(frame)) return write(socket, errorFrame(400, 'Request failed.'));
    const tracingId = str(frame.tracingId);
    if (frame.action === 'configureSession' || frame.action === 'configureAuthenticatedSession') return configure(socket, frame);
    const session = socket.token ? sessions.get(socket.token) : undefined;
    if (!session || frame.token !== session.token) return write(socket, errorFrame(4007, 'session not found error message', tracingId));
    switch (frame.action) {
      case 'echo':
        return write(socket, {
          type: 'response',
          class: 'StructuredMessage',
          code: 200,
          body: { id: newId(), type: 'Text', text: 'ping', direction: 'Inbound' },
          ...(tracingId ? { tracingId } : {}),
        });
      case 'getJwt':
        return write(socket, {
          type: 'response',
          class: 'JwtResponse',
          code: 200,
          body: { jwt: session.jwt, exp: Math.floor(scheduler.now() / 1000) + 3600 },
          ...(tracingId ? { tracingId } : {}),
        });
      case 'onMessage': {
        const message = isObject(frame.message) ? frame.message : undefined;
        if (message?.type === 'Text') return onText(socket, session, message, tracingId);
        if (message?.type === 'Event' && Array.isArray(message.events)) return onEvents(socket, session, message.events, tracingId);
        return write(socket, errorFrame(400, 'Request failed.', tracingId));
      }
      case 'onAttachment':
        return onAttachment(socket, session, frame, tracingId);
      case 'closeSession':
        write(socket, { type: 'message', class: 'ConnectionClosedEvent', code: 200, body: {} });
        return closeSocket(socket, 1000, 'closed');
      default:
        return write(socket, errorFrame(400, 'Request failed.', tracingId));
    }
  };

  // --- REST: history, uploads, files ---------------------------------------------------------------------------
  const history = (url: URL, authorization: string | undefined): DeskHttpResponse => {
    const session = byJwt.get((authorization ?? '').replace(/^bearer\s+/i, ''));
    if (!session) return { status: 401, json: { message: 'Invalid or expired JWT', code: 'bad.credentials', status: 401 } };
    const pageSize = Math.max(1, Math.min(100, Number(url.searchParams.get('pageSize')) || 25));
    const pageNumber = Math.max(1, Number(url.searchParams.get('pageNumber')) || 1);
    const newestFirst = [...session.history].reverse();
    const page: WmHistoryPage = {
      entities: newestFirst.slice((pageNumber - 1) * pageSize, pageNumber * pageSize),
      pageSize,
      pageNumber,
      total: newestFirst.length,
      pageCount: Math.ceil(newestFirst.length / pageSize),
    };
    return { status: 200, json: page };
  };

  const upload = (attachmentId: string, request: DeskHttpRequest): DeskHttpResponse => {
    const session = [...sessions.values()].find((candidate) => candidate.uploads.has(attachmentId));
    const pending = session?.uploads.get(attachmentId);
    if (!session || !pending) return { status: 404, json: { message: 'Unknown upload URL' } };
    if (request.headers['x-amz-tagging'] !== pending.tagging) return { status: 403, json: { message: 'The x-amz-tagging header is missing or wrong.' } };
    const data = request.body ?? new Uint8Array();
    const size = data instanceof Uint8Array ? data.length : data.size;
    const fileId = newId();
    files.set(fileId, { data, type: pending.fileType });
    pending.size = size;
    pending.downloadUrl = `${baseUrl}/files/${fileId}/${encodeURIComponent(pending.fileName)}`;
    broadcast(session, { type: 'message', class: 'UploadSuccessEvent', code: 200, body: { attachmentId, downloadUrl: pending.downloadUrl, timestamp: now() } });
    emit('upload', { token: session.token, attachmentId, fileName: pending.fileName, size });
    return { status: 200 };
  };

  const http = (request: DeskHttpRequest): DeskHttpResponse => {
    const url = new URL(request.path, baseUrl);
    if (request.method === 'GET' && url.pathname === '/api/v2/webmessaging/messages') return history(url, request.headers.authorization);
    const uploadMatch = /^\/uploads\/([^/]+)$/.exec(url.pathname);
    if (request.method === 'PUT' && uploadMatch) return upload(decodeURIComponent(uploadMatch[1] ?? ''), request);
    const fileMatch = /^\/files\/([^/]+)\//.exec(url.pathname);
    const file = request.method === 'GET' && fileMatch ? files.get(fileMatch[1] ?? '') : undefined;
    if (file) return { status: 200, file };
    return { status: 404, json: { message: 'Not found' } };
  };

  // --- transports ----------------------------------------------------------------------------------------------
  const connect = (link: GuestLink): GuestConnection => {
    const socket: GuestSocket = { link, open: true, stalled: scheduler.now() < stalledUntil, held: [] };
    sockets.add(socket);
    totalConnections += 1;
    emit('connection', { connections: sockets.size });
    let closed = false;
    return {
      receive(data) {
        if (!socket.open) return;
        if (socket.stalled) socket.held.push(() => handleFrame(socket, data));
        else handleFrame(socket, data);
      },
      closed() {
        if (closed) return;
        closed = true;
        socket.open = false;
        socket.held.length = 0;
        sockets.delete(socket);
        const token = socket.token;
        if (token) sessions.get(token)?.sockets.delete(socket);
        emit('disconnection', { connections: sockets.size, ...(token ? { token } : {}) });
      },
    };
  };

  const desk: GenesysDesk = {
    deploymentId,
    maxFrameBytes,
    get connections() {
      return sockets.size;
    },
    get totalConnections() {
      return totalConnections;
    },
    get guestMessages() {
      return guestMessages;
    },
    get activeToken() {
      return activeToken;
    },
    acceptsOrigin: (origin) => origin === undefined || originAllowed(origin),
    connect,
    http,
    join(name, image, greeting) {
      desk.assign(name, image);
      return agentSays(greeting ?? `Hello, this is ${name}. How can I help?`);
    },
    assign(name, image) {
      active().agent = { nickname: name, ...(image ? { image } : {}) };
    },
    say: (text) => agentSays(text),
    attach(file) {
      const session = active();
      if (!session.agent) throw new Error('No agent in the chat: call join(name) first.');
      const data = typeof file.data === 'string' ? new TextEncoder().encode(file.data) : (file.data ?? new Uint8Array());
      const fileId = newId();
      if (!file.url) files.set(fileId, { data, type: file.type });
      const attachment: WmAttachment = {
        id: fileId,
        url: file.url ?? `${baseUrl}/files/${fileId}/${encodeURIComponent(file.name)}`,
        filename: file.name,
        fileSize: data.length,
        mime: file.type,
        mediaType: file.type.startsWith('image/') ? 'Image' : 'File',
      };
      return agentSays(file.text ?? '', [{ contentType: 'Attachment', attachment }]);
    },
    bot(text) {
      return publish(active(), outbound({ text, originatingEntity: 'Bot' }));
    },
    typing(durationMs = typingDurationMs) {
      publish(active(), outbound({ type: 'Event', events: [{ eventType: 'Typing', typing: { type: 'On', duration: durationMs } }] }), false);
    },
    transfer(toName, image, greeting) {
      desk.assign(toName, image);
      return agentSays(greeting ?? `Hi, ${toName} here. I have taken over your chat.`);
    },
    end(endOptions = {}) {
      const session = active();
      const readOnly = endOptions.readOnly ?? false;
      publish(
        session,
        outbound({
          type: 'Event',
          events: [{ eventType: 'Presence', presence: { type: 'Disconnect' } }],
          ...(readOnly ? { metadata: { readOnly: 'true' } } : {}),
        }),
      );
      session.readOnly = readOnly;
      delete session.agent;
    },
    drop() {
      for (const socket of [...sockets]) terminate(socket);
    },
    dropBeforeNextEcho() {
      loseNextEcho = true;
    },
    stall(ms) {
      stalledUntil = Math.max(stalledUntil, scheduler.now() + ms);
      for (const socket of sockets) socket.stalled = true;
      later(ms, () => {
        if (scheduler.now() < stalledUntil) return;
        for (const socket of sockets) {
          socket.stalled = false;
          for (const run of socket.held.splice(0)) run();
        }
      });
    },
    rejectDeployment(message) {
      rejecting = message ?? '';
    },
    acceptDeployment() {
      rejecting = undefined;
    },
    expireSession() {
      const session = active();
      broadcast(session, { type: 'response', class: 'SessionExpiredEvent', code: 200, body: {} });
      sessions.delete(session.token);
      byJwt.delete(session.jwt);
    },
    sendRaw(frame) {
      broadcast(active(), typeof frame === 'string' ? frame : JSON.stringify(frame));
    },
    on,
    nextGuestMessage(timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const timer = later(timeoutMs, () => {
          off();
          reject(new Error(`No guest message within ${timeoutMs} ms.`));
        });
        const off = on('guestMessage', (message) => {
          off();
          timer.unsubscribe();
          timers.delete(timer);
          resolve(message);
        });
      });
    },
    dispose() {
      for (const timer of timers) timer.unsubscribe();
      timers.clear();
      for (const socket of [...sockets]) terminate(socket);
    },
  };
  return desk;
}
