import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type {
  WmAttachment,
  WmContent,
  WmEvent,
  WmHistoryPage,
  WmInboundFrame,
  WmSessionResponse,
  WmStructuredMessage,
} from '../../adapters/genesys/protocol.js';

/** Options of {@link startGenesysSimulator}. */
export interface GenesysSimulatorOptions {
  /** Default 0: a free port. */
  port?: number;
  /** Loopback only: `'127.0.0.1'` (default), `'::1'` or `'localhost'`. */
  host?: string;
  /** The deployment id the simulator accepts. Default `'sim-deployment'`. */
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
}

/** A guest message the simulator accepted (once per tracing id). */
export interface SimGuestMessage {
  readonly token: string;
  readonly id: string;
  readonly text: string;
  readonly tracingId?: string;
  readonly attachments: readonly WmAttachment[];
  readonly customAttributes?: Readonly<Record<string, string>>;
}

/** A file the agent sends with {@link GenesysSimulator.attach}. */
export interface SimFile {
  readonly name: string;
  readonly type: string;
  readonly data: Uint8Array | string;
  /** Text sent with the file. Default empty. */
  readonly text?: string;
}

/** What the guest did, for the simulator's event hooks. */
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

/** A running Web Messaging simulator and its agent-side controls. Every agent action targets the latest session. */
export interface GenesysSimulator {
  /** The WebSocket URL to give the adapter as `webSocketUrl` (`ws://127.0.0.1:PORT/v1`). */
  readonly url: string;
  /** The HTTP base URL to give the adapter as `apiUrl` (history, uploads, files). */
  readonly httpUrl: string;
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
  /** The current agent sends text. Returns the message id. */
  say(text: string): string;
  /** The current agent sends a file (served by the simulator). Returns the message id. */
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
  /** The server stops answering for `ms`: frames both ways are held, then delivered. */
  stall(ms: number): void;
  /** Refuses every `configureSession` from now on (a wrong or inactive deployment). */
  rejectDeployment(message?: string): void;
  /** Accepts sessions again after {@link GenesysSimulator.rejectDeployment}. */
  acceptDeployment(): void;
  /** Sends `SessionExpiredEvent` and forgets the session. */
  expireSession(): void;
  /** Sends any frame (an object is JSON-encoded) to the guest sockets of the latest session, e.g. a malformed one. */
  sendRaw(frame: string | object): void;
  /** Listens to what the guest does. Returns a function that stops listening. */
  on<K extends keyof SimEvents>(event: K, handler: (payload: SimEvents[K]) => void): () => void;
  /** The next guest message accepted from now on; rejects after `timeoutMs` (default 5 000). */
  nextGuestMessage(timeoutMs?: number): Promise<SimGuestMessage>;
  /** Stops the server: closes every socket. */
  close(): Promise<void>;
}

interface SimUpload {
  readonly attachmentId: string;
  readonly fileName: string;
  readonly fileType: string;
  readonly tagging: string;
  data?: Buffer;
  downloadUrl?: string;
}

interface SimSession {
  readonly token: string;
  readonly jwt: string;
  readonly sockets: Set<WebSocket>;
  history: WmStructuredMessage[];
  readonly echoes: Map<string, WmStructuredMessage>;
  readonly uploads: Map<string, SimUpload>;
  agent?: { readonly nickname: string; readonly image?: string };
  readOnly: boolean;
}

interface SocketState {
  token?: string;
  stalled: boolean;
  readonly held: (() => void)[];
}

interface StoredFile {
  readonly data: Buffer;
  readonly type: string;
  readonly name: string;
}

type Json = Record<string, unknown>;
const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const hexId = () => randomUUID().replace(/-/g, '');
const now = () => new Date().toISOString();

function typeAllowed(allowed: readonly string[], type: string): boolean {
  return allowed.some((rule) => rule === '*/*' || rule === type || (rule.endsWith('/*') && type.startsWith(rule.slice(0, -1))));
}

function cors(response: ServerResponse): void {
  response.setHeader('Access-Control-Allow-Origin', '*');
  response.setHeader('Access-Control-Allow-Methods', 'GET, PUT, OPTIONS');
  response.setHeader('Access-Control-Allow-Headers', '*');
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'Content-Type': 'application/json' });
  response.end(JSON.stringify(body));
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/**
 * Starts a Genesys Cloud Web Messaging simulator on loopback: a real WebSocket server speaking the subset of the
 * guest protocol that `rx-service-desk/genesys` uses (configure and resume sessions, messages deduplicated by
 * tracing id, typing, presence, echo, JWT + REST history, presigned uploads, read-only end), plus HTTP for history,
 * uploads and agent files, and an agent-side API to script a conversation. Node only; needs the `ws` package.
 *
 * Options: see {@link GenesysSimulatorOptions} (port 0 and host 127.0.0.1 by default).
 *
 * @example
 * import { WebSocket } from 'ws';
 * import { startGenesysSimulator } from 'rx-service-desk/simulator/genesys';
 * import { genesysWebMessaging, wsSocketFactory } from 'rx-service-desk/genesys';
 *
 * const sim = await startGenesysSimulator();
 * const adapter = genesysWebMessaging({
 *   deploymentId: sim.deploymentId,
 *   webSocketUrl: sim.url,
 *   apiUrl: sim.httpUrl,
 *   socketFactory: wsSocketFactory(WebSocket),
 * });
 * sim.on('guestMessage', (message) => sim.say(`You said: ${message.text}`));
 * sim.join('Ann', 'https://example.com/ann.png');
 * await sim.close();
 */
export async function startGenesysSimulator(options: GenesysSimulatorOptions = {}): Promise<GenesysSimulator> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK.has(host)) throw new Error(`The Genesys simulator binds to loopback only (127.0.0.1, ::1 or localhost), not ${host}.`);
  const deploymentId = options.deploymentId ?? 'sim-deployment';
  const allowedFileTypes = options.allowedFileTypes ?? ['*/*'];
  const maxFileSizeKB = options.maxFileSizeKB ?? 10_240;
  const acceptAuthCode = options.acceptAuthCode ?? ((code: string) => code.length > 0);
  const sessions = new Map<string, SimSession>();
  const byJwt = new Map<string, SimSession>();
  const files = new Map<string, StoredFile>();
  const states = new Map<WebSocket, SocketState>();
  const guestMessages: SimGuestMessage[] = [];
  const handlers = new Map<keyof SimEvents, Set<(payload: never) => void>>();
  const timers = new Set<NodeJS.Timeout>();
  let rejecting: string | undefined;
  let stalledUntil = 0;
  let loseNextEcho = false;
  let activeToken: string | undefined;
  let totalConnections = 0;
  let httpUrl = '';

  const emit = <K extends keyof SimEvents>(event: K, payload: SimEvents[K]) => {
    for (const handler of [...(handlers.get(event) ?? [])]) (handler as (payload: SimEvents[K]) => void)(payload);
  };

  // --- sending -------------------------------------------------------------------------------------------------
  const write = (socket: WebSocket, frame: WmInboundFrame | string) => {
    const state = states.get(socket);
    const data = typeof frame === 'string' ? frame : JSON.stringify(frame);
    const run = () => {
      if (socket.readyState === socket.OPEN) socket.send(data);
    };
    if (state?.stalled) state.held.push(run);
    else run();
  };
  const broadcast = (session: SimSession, frame: WmInboundFrame | string) => {
    for (const socket of session.sockets) write(socket, frame);
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
    const id = hexId();
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
  const configure = (socket: WebSocket, state: SocketState, frame: Json) => {
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
      session = { token, jwt: randomUUID(), sockets: new Set(), history: [], echoes: new Map(), uploads: new Map(), readOnly: false };
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
    if (state.token && state.token !== token) sessions.get(state.token)?.sockets.delete(socket);
    state.token = token;
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

  const onText = (socket: WebSocket, session: SimSession, message: Json, tracingId: string | undefined) => {
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
        fileSize: upload.data?.length ?? 0,
        mediaType: upload.fileType.startsWith('image/') ? 'Image' : 'File',
      });
    }
    if (!text && attachments.length === 0) return write(socket, errorFrame(4020, 'A message needs text or an attachment.', tracingId));
    const channel = isObject(message.channel) && isObject(message.channel.metadata) ? message.channel.metadata : undefined;
    const customAttributes = channel && isObject(channel.customAttributes) ? (channel.customAttributes as Record<string, string>) : undefined;
    const id = randomUUID();
    const inbound: WmStructuredMessage = {
      id,
      type: 'Text',
      text,
      direction: 'Inbound',
      channel: { time: now(), messageId: id, ...(customAttributes ? { metadata: { customAttributes } } : {}) },
      content: attachments.map((attachment) => ({ contentType: 'Attachment', attachment })),
      metadata: { correlationId: randomUUID() },
      originatingEntity: 'Human',
    };
    session.history.push(inbound);
    if (tracingId) session.echoes.set(tracingId, inbound);
    if (loseNextEcho) {
      loseNextEcho = false;
      for (const guest of session.sockets) guest.terminate();
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
    for (const socket of session.sockets) socket.close(1000, 'cleared');
    sessions.delete(session.token);
    byJwt.delete(session.jwt);
    emit('cleared', { token: session.token });
  };

  const onEvents = (socket: WebSocket, session: SimSession, events: unknown[], tracingId: string | undefined) => {
    for (const event of events as WmEvent[]) {
      if (!isObject(event)) continue;
      if (event.eventType === 'Typing') {
        if (options.userTypingEnabled === false) write(socket, errorFrame(403, 'Turn on the Feature Toggle or fix the configuration.', tracingId));
        else emit('guestTyping', { token: session.token });
      } else if (event.eventType === 'Presence' && event.presence?.type === 'Join') {
        const id = randomUUID();
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

  const onAttachment = (socket: WebSocket, session: SimSession, frame: Json, tracingId: string | undefined) => {
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
      body: { attachmentId, url: `${httpUrl}/uploads/${encodeURIComponent(attachmentId)}`, headers: { 'x-amz-tagging': tagging }, fileName, fileSize: size, fileType },
      ...(tracingId ? { tracingId } : {}),
    });
  };

  const handleFrame = (socket: WebSocket, state: SocketState, raw: string) => {
    let frame: unknown;
    try {
      frame = JSON.parse(raw);
    } catch {
      emit('frame', { ...(state.token ? { token: state.token } : {}), frame: raw });
      return write(socket, errorFrame(400, 'Request failed.'));
    }
    emit('frame', { ...(state.token ? { token: state.token } : {}), frame });
    if (!isObject(frame)) return write(socket, errorFrame(400, 'Request failed.'));
    const tracingId = str(frame.tracingId);
    if (frame.action === 'configureSession' || frame.action === 'configureAuthenticatedSession') return configure(socket, state, frame);
    const session = state.token ? sessions.get(state.token) : undefined;
    if (!session || frame.token !== session.token) return write(socket, errorFrame(4007, 'session not found error message', tracingId));
    switch (frame.action) {
      case 'echo':
        return write(socket, {
          type: 'response',
          class: 'StructuredMessage',
          code: 200,
          body: { id: randomUUID(), type: 'Text', text: 'ping', direction: 'Inbound' },
          ...(tracingId ? { tracingId } : {}),
        });
      case 'getJwt':
        return write(socket, {
          type: 'response',
          class: 'JwtResponse',
          code: 200,
          body: { jwt: session.jwt, exp: Math.floor(Date.now() / 1000) + 3600 },
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
        return socket.close(1000, 'closed');
      default:
        return write(socket, errorFrame(400, 'Request failed.', tracingId));
    }
  };

  // --- HTTP: history, uploads, files -------------------------------------------------------------------------
  const onHttp = async (request: IncomingMessage, response: ServerResponse) => {
    cors(response);
    const url = new URL(request.url ?? '/', httpUrl);
    if (request.method === 'OPTIONS') {
      response.writeHead(204);
      return response.end();
    }
    if (request.method === 'GET' && url.pathname === '/api/v2/webmessaging/messages') {
      const jwt = (request.headers.authorization ?? '').replace(/^bearer\s+/i, '');
      const session = byJwt.get(jwt);
      if (!session) return sendJson(response, 401, { message: 'Invalid or expired JWT', code: 'bad.credentials', status: 401 });
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
      return sendJson(response, 200, page);
    }
    const uploadMatch = /^\/uploads\/([^/]+)$/.exec(url.pathname);
    if (request.method === 'PUT' && uploadMatch) {
      const attachmentId = decodeURIComponent(uploadMatch[1] ?? '');
      const session = [...sessions.values()].find((candidate) => candidate.uploads.has(attachmentId));
      const upload = session?.uploads.get(attachmentId);
      if (!session || !upload) return sendJson(response, 404, { message: 'Unknown upload URL' });
      if (request.headers['x-amz-tagging'] !== upload.tagging) return sendJson(response, 403, { message: 'The x-amz-tagging header is missing or wrong.' });
      const data = await readBody(request);
      const fileId = hexId();
      files.set(fileId, { data, type: upload.fileType, name: upload.fileName });
      upload.data = data;
      upload.downloadUrl = `${httpUrl}/files/${fileId}/${encodeURIComponent(upload.fileName)}`;
      response.writeHead(200);
      response.end();
      broadcast(session, { type: 'message', class: 'UploadSuccessEvent', code: 200, body: { attachmentId, downloadUrl: upload.downloadUrl, timestamp: now() } });
      emit('upload', { token: session.token, attachmentId, fileName: upload.fileName, size: data.length });
      return;
    }
    const fileMatch = /^\/files\/([^/]+)\//.exec(url.pathname);
    const file = request.method === 'GET' && fileMatch ? files.get(fileMatch[1] ?? '') : undefined;
    if (file) {
      response.writeHead(200, { 'Content-Type': file.type, 'Content-Length': String(file.data.length) });
      return response.end(file.data);
    }
    sendJson(response, 404, { message: 'Not found' });
  };

  const server = createServer((request, response) => {
    onHttp(request, response).catch((error: unknown) => sendJson(response, 500, { message: String(error) }));
  });
  const wss = new WebSocketServer({ server, path: '/v1' });
  wss.on('connection', (socket: WebSocket) => {
    const state: SocketState = { stalled: Date.now() < stalledUntil, held: [] };
    states.set(socket, state);
    totalConnections += 1;
    emit('connection', { connections: states.size });
    socket.on('message', (data: RawData, isBinary: boolean) => {
      const raw = isBinary ? '' : data.toString();
      const run = () => handleFrame(socket, state, raw);
      if (state.stalled) state.held.push(run);
      else run();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      states.delete(socket);
      const token = state.token;
      if (token) sessions.get(token)?.sockets.delete(socket);
      emit('disconnection', { connections: states.size, ...(token ? { token } : {}) });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const hostPart = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  httpUrl = `http://${hostPart}:${address.port}`;
  const url = `ws://${hostPart}:${address.port}/v1`;
  const typingDurationMs = options.typingDurationMs ?? 5_000;

  const simulator: GenesysSimulator = {
    url,
    httpUrl,
    deploymentId,
    get connections() {
      return states.size;
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
    join(name, image, greeting) {
      const session = active();
      session.agent = { nickname: name, ...(image ? { image } : {}) };
      return agentSays(greeting ?? `Hello, this is ${name}. How can I help?`);
    },
    say: (text) => agentSays(text),
    attach(file) {
      const session = active();
      const data = typeof file.data === 'string' ? Buffer.from(file.data) : Buffer.from(file.data);
      const fileId = hexId();
      files.set(fileId, { data, type: file.type, name: file.name });
      const attachment: WmAttachment = {
        id: fileId,
        url: `${httpUrl}/files/${fileId}/${encodeURIComponent(file.name)}`,
        filename: file.name,
        fileSize: data.length,
        mime: file.type,
        mediaType: file.type.startsWith('image/') ? 'Image' : 'File',
      };
      if (!session.agent) throw new Error('No agent in the chat: call join(name) first.');
      return agentSays(file.text ?? '', [{ contentType: 'Attachment', attachment }]);
    },
    bot(text) {
      const session = active();
      return publish(session, outbound({ text, originatingEntity: 'Bot' }));
    },
    typing(durationMs = typingDurationMs) {
      const session = active();
      publish(session, outbound({ type: 'Event', events: [{ eventType: 'Typing', typing: { type: 'On', duration: durationMs } }] }), false);
    },
    transfer(toName, image, greeting) {
      const session = active();
      session.agent = { nickname: toName, ...(image ? { image } : {}) };
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
      for (const socket of [...states.keys()]) socket.terminate();
    },
    dropBeforeNextEcho() {
      loseNextEcho = true;
    },
    stall(ms) {
      stalledUntil = Math.max(stalledUntil, Date.now() + ms);
      for (const state of states.values()) state.stalled = true;
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (Date.now() < stalledUntil - 1) return;
        for (const state of states.values()) {
          state.stalled = false;
          for (const run of state.held.splice(0)) run();
        }
      }, ms);
      timers.add(timer);
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
    on(event, handler) {
      const set = handlers.get(event) ?? new Set();
      handlers.set(event, set);
      set.add(handler as (payload: never) => void);
      return () => void set.delete(handler as (payload: never) => void);
    },
    nextGuestMessage(timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          off();
          timers.delete(timer);
          reject(new Error(`No guest message within ${timeoutMs} ms.`));
        }, timeoutMs);
        timers.add(timer);
        const off = simulator.on('guestMessage', (message) => {
          off();
          clearTimeout(timer);
          timers.delete(timer);
          resolve(message);
        });
      });
    },
    close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const socket of [...states.keys()]) socket.terminate();
      return new Promise<void>((resolve) => {
        wss.close(() => server.close(() => resolve()));
      });
    },
  };
  return simulator;
}
