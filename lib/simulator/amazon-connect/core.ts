import { asyncScheduler, type SchedulerLike } from 'rxjs';
import { CONNECT_EVENT, type ConnectAttachment, type ConnectItem, type ConnectRole } from '../../adapters/amazon-connect/protocol.js';

/** Options of {@link connectSimulatorCore}. */
export interface ConnectSimulatorCoreOptions {
  /** The clock of `AbsoluteTime` and token expiry. Default `asyncScheduler`; tests pass a virtual one. */
  scheduler?: SchedulerLike;
  /** The WebSocket URL handed out by CreateParticipantConnection. Default `ws://127.0.0.1:0/connect?token=…`. */
  websocketUrl?: (connectionToken: string) => string;
  /** Where a customer PUTs an attachment (StartAttachmentUpload). Default `http://127.0.0.1:0/upload/<id>`. */
  uploadUrl?: (attachmentId: string) => string;
  /** Where an attachment is downloaded from (GetAttachment). Default `http://127.0.0.1:0/files/<id>`. */
  downloadUrl?: (attachmentId: string) => string;
  /** Connection token lifetime. Default 24 h, as Connect. */
  connectionTtlMs?: number;
  /** Largest attachment. Default 20 MiB, the Connect default. */
  maxAttachmentBytes?: number;
}

/** A REST answer in the AWS restJson1 shape: errors carry `x-amzn-ErrorType` and `{ message }`. */
export interface ConnectApiResult {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** The shell's side of one customer socket. */
export interface ConnectSocketClient {
  send(text: string): void;
  /** Kills the socket without a close frame. */
  drop(): void;
}

/** The core's side of one customer socket: the shell feeds it text frames and tells it when the socket closed. */
export interface ConnectSocketPeer {
  receive(text: string): void;
  closed(): void;
}

/** A file an agent sends. */
export interface ConnectSimFile {
  readonly name: string;
  readonly type: string;
  readonly data: Uint8Array;
}

/** What the customer did, for {@link ConnectSimulatorCore.on}. */
export interface ConnectSimEvents {
  /** A customer message the core accepted (once per ClientToken). */
  message: { readonly contactId: string; readonly id: string; readonly text: string; readonly contentType: string; readonly clientToken?: string };
  /** A customer event (typing, read, delivered). */
  event: { readonly contactId: string; readonly contentType: string; readonly content?: string };
  /** A customer attachment completed. */
  attachment: { readonly contactId: string; readonly attachment: ConnectAttachment; readonly size: number };
  /** A chat started (StartChatContact). */
  started: { readonly contactId: string; readonly attributes: Readonly<Record<string, string>>; readonly displayName: string };
  /** The customer disconnected. */
  disconnected: { readonly contactId: string };
  /** A customer socket closed (`sockets` are the chat's sockets still open). */
  closed: { readonly contactId: string; readonly sockets: number };
  /** A customer socket subscribed to `aws/chat`: from now on it gets the chat's items. */
  subscribed: { readonly contactId: string };
}

interface StoredFile {
  readonly data: Uint8Array;
  readonly attachment: ConnectAttachment;
  readonly contactId: string;
  readonly uploaded: boolean;
  completed: boolean;
}

interface Contact {
  readonly initialContactId: string;
  contactId: string;
  readonly participantId: string;
  readonly participantToken: string;
  readonly displayName: string;
  readonly transcript: ConnectItem[];
  readonly sent: Map<string, ConnectItem>;
  readonly sockets: Set<Socket>;
  agent?: { readonly name: string; readonly participantId: string };
  ended: boolean;
}

interface Socket {
  readonly client: ConnectSocketClient;
  readonly contact: Contact;
  subscribed: boolean;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const MESSAGE_TYPES = new Set(['text/plain', 'text/markdown', 'application/json', 'application/vnd.amazonaws.connect.message.interactive.response']);
const CUSTOMER_EVENTS = new Set<string>([CONNECT_EVENT.typing, CONNECT_EVENT.read, CONNECT_EVENT.delivered]);
const MAX_CONTENT = 16_384;

const error = (status: number, type: string, message: string): ConnectApiResult => ({
  status,
  body: { message },
  headers: { 'x-amzn-ErrorType': type },
});
const ok = (body: unknown): ConnectApiResult => ({ status: 200, body });

/** The participant service and agent controls of {@link connectSimulatorCore}. */
export interface ConnectSimulatorCore {
  /** `StartChatContact` (`PUT /contact/chat`): starts a chat and returns the participant token and ids. */
  startChatContact(body: unknown): ConnectApiResult;
  /** A participant operation: `path` is `/participant/<operation>`, `bearer` the `X-Amz-Bearer` header. */
  participant(path: string, bearer: string | undefined, body: unknown): ConnectApiResult;
  /** Attaches a socket opened with a connection token; `undefined` when the token is not valid (refuse it). */
  openSocket(connectionToken: string, client: ConnectSocketClient): ConnectSocketPeer | undefined;
  /** Stores the bytes PUT to an upload URL; false when the id is unknown or the size differs from the announced one. */
  upload(attachmentId: string, data: Uint8Array): boolean;
  /** A stored attachment, for the download URL. */
  file(attachmentId: string): { readonly data: Uint8Array; readonly type: string; readonly name: string } | undefined;
  /** The agent of the latest chat accepts it (`participant.joined`). Returns the event id. */
  join(name: string): string;
  /** The agent sends text. Returns the message id. */
  say(text: string): string;
  /** The agent types. */
  type(): void;
  /** The agent read (or got) a customer message (a `MESSAGE_METADATA` receipt). */
  receipt(messageId: string, kind: 'read' | 'delivered'): void;
  /** The agent sends a file. Returns the item id. */
  attach(file: ConnectSimFile): string;
  /**
   * Transfers: transfer succeeded, the old agent leaves, the contact gets a new id (same initial contact id), and
   * `toName` joins; without `toName` the chat waits in the queue until {@link ConnectSimulatorCore.join}.
   */
  transfer(toName?: string): void;
  /** The agent leaves and the chat ends (`participant.left`, `chat.ended`). */
  end(): void;
  /** The agent leaves and the chat goes on (a disconnect flow keeps the customer): `participant.left` only. */
  leave(): void;
  /** Kills every customer socket of the latest chat. Items keep going to the transcript. */
  dropSockets(): void;
  /** The participant token and every connection token of the latest chat expire; sockets close. */
  expire(): void;
  /**
   * Makes the chat with this initial or current contact id (a transfer changes the current one) the latest chat, the
   * one the agent calls act on, for a desk with several chats. Returns its ids, or `undefined` when there is none.
   */
  select(contactId: string): { readonly initialContactId: string; readonly contactId: string; readonly ended: boolean } | undefined;
  /** Sends any text to the subscribed sockets of the latest chat, e.g. a malformed frame. */
  sendRaw(text: string): void;
  /** Every item of the latest chat, in order. */
  readonly transcript: readonly ConnectItem[];
  /** Customer sockets open on the latest chat. */
  readonly sockets: number;
  /** Listens to what the customer does. Returns a function that stops listening. */
  on<K extends keyof ConnectSimEvents>(event: K, handler: (payload: ConnectSimEvents[K]) => void): () => void;
}

/**
 * Creates the transport-free core of the Amazon Connect participant simulator: StartChatContact, the participant
 * REST API (connection, message, event, transcript with paging, attachments, disconnect) with ClientToken
 * idempotency, the `aws/subscribe`, `aws/heartbeat`, `aws/ping` and `aws/chat` socket topics, and an agent API.
 * Time comes from the injected scheduler, so it runs in virtual time; `startConnectSimulator` puts it on loopback.
 *
 * @example
 * import { VirtualTimeScheduler } from 'rxjs';
 * import { connectSimulatorCore } from 'rx-service-desk/simulator/amazon-connect';
 *
 * const core = connectSimulatorCore({ scheduler: new VirtualTimeScheduler() });
 * const start = core.startChatContact({ ParticipantDetails: { DisplayName: 'Ada' } });
 * core.join('Ann');
 * core.say('Hello Ada');
 */
export function connectSimulatorCore(options: ConnectSimulatorCoreOptions = {}): ConnectSimulatorCore {
  const scheduler = options.scheduler ?? asyncScheduler;
  const websocketUrl = options.websocketUrl ?? ((token: string) => `ws://127.0.0.1:0/connect?token=${encodeURIComponent(token)}`);
  const uploadUrl = options.uploadUrl ?? ((id: string) => `http://127.0.0.1:0/upload/${id}`);
  const downloadUrl = options.downloadUrl ?? ((id: string) => `http://127.0.0.1:0/files/${id}`);
  const connectionTtlMs = options.connectionTtlMs ?? 24 * 3_600_000;
  const maxAttachmentBytes = options.maxAttachmentBytes ?? 20 * 1024 * 1024;
  const byParticipantToken = new Map<string, Contact>();
  const connections = new Map<string, { readonly contact: Contact; readonly expiresAt: number }>();
  const files = new Map<string, StoredFile>();
  const handlers = new Map<keyof ConnectSimEvents, Set<(payload: never) => void>>();
  let sequence = 0;
  const contacts: Contact[] = [];
  let latest: Contact | undefined;

  const nextId = () => `00000000-0000-4000-8000-${(++sequence).toString(16).padStart(12, '0')}`;
  const now = () => new Date(scheduler.now()).toISOString();
  const emit = <K extends keyof ConnectSimEvents>(event: K, payload: ConnectSimEvents[K]) => {
    for (const handler of [...(handlers.get(event) ?? [])]) (handler as (value: ConnectSimEvents[K]) => void)(payload);
  };
  const active = (): Contact => {
    if (!latest || latest.ended) throw new Error('No active chat: start one with StartChatContact first.');
    return latest;
  };
  const agentOf = (contact: Contact) => {
    if (!contact.agent) throw new Error('No agent in the chat: call join(name) first.');
    return contact.agent;
  };

  const frame = (contact: Contact, item: ConnectItem) =>
    JSON.stringify({
      topic: 'aws/chat',
      contentType: 'application/json',
      content: JSON.stringify({ ...item, ContactId: contact.contactId, InitialContactId: contact.initialContactId }),
    });
  const broadcast = (contact: Contact, text: string) => {
    for (const socket of contact.sockets) if (socket.subscribed) socket.client.send(text);
  };
  /** Adds an item to the transcript (unless it is transient) and pushes it to the subscribed sockets. */
  const publish = (contact: Contact, fields: Omit<ConnectItem, 'Id' | 'AbsoluteTime'>, stored = true): ConnectItem => {
    const item: ConnectItem = { Id: nextId(), AbsoluteTime: now(), ...fields };
    if (stored) contact.transcript.push(item);
    broadcast(contact, frame(contact, item));
    return item;
  };
  const agentItem = (contact: Contact, fields: Partial<ConnectItem>): Omit<ConnectItem, 'Id' | 'AbsoluteTime'> => {
    const agent = agentOf(contact);
    return { Type: 'MESSAGE', ParticipantId: agent.participantId, DisplayName: agent.name, ParticipantRole: 'AGENT', ...fields };
  };
  const systemEvent = (contentType: string): Omit<ConnectItem, 'Id' | 'AbsoluteTime'> => ({
    Type: 'EVENT',
    ContentType: contentType,
    ParticipantRole: 'SYSTEM',
    DisplayName: 'SYSTEM_MESSAGE',
  });
  const participantEvent = (contentType: string, role: ConnectRole, participantId: string, name: string) =>
    ({ Type: 'EVENT', ContentType: contentType, ParticipantId: participantId, DisplayName: name, ParticipantRole: role }) as const;
  const closeContact = (contact: Contact) => {
    contact.ended = true;
    byParticipantToken.delete(contact.participantToken);
    for (const [token, connection] of connections) if (connection.contact === contact) connections.delete(token);
  };

  const connection = (bearer: string | undefined) => {
    const found = bearer === undefined ? undefined : connections.get(bearer);
    if (!found || found.contact.ended || scheduler.now() >= found.expiresAt) return undefined;
    return found.contact;
  };
  /** Runs an operation once per ClientToken: a retry with the same token gets the first answer, as Connect does. */
  const idempotent = (contact: Contact, clientToken: string | undefined, run: () => ConnectItem): ConnectItem => {
    const seen = clientToken === undefined ? undefined : contact.sent.get(clientToken);
    if (seen) return seen;
    const item = run();
    if (clientToken !== undefined) contact.sent.set(clientToken, item);
    return item;
  };

  const startChatContact = (body: unknown): ConnectApiResult => {
    if (!isObject(body)) return error(400, 'InvalidRequestException', 'The request body must be a JSON object.');
    const details = isObject(body.ParticipantDetails) ? body.ParticipantDetails : undefined;
    const displayName = str(details?.DisplayName);
    if (!displayName) return error(400, 'InvalidParameterException', 'ParticipantDetails.DisplayName is required.');
    const attributes: Record<string, string> = {};
    if (isObject(body.Attributes)) for (const [key, value] of Object.entries(body.Attributes)) if (typeof value === 'string') attributes[key] = value;
    const contactId = nextId();
    const contact: Contact = {
      initialContactId: contactId,
      contactId,
      participantId: nextId(),
      participantToken: `sim-participant-${nextId()}`,
      displayName,
      transcript: [],
      sent: new Map(),
      sockets: new Set(),
      ended: false,
    };
    byParticipantToken.set(contact.participantToken, contact);
    contacts.push(contact);
    latest = contact;
    publish(contact, participantEvent(CONNECT_EVENT.joined, 'CUSTOMER', contact.participantId, displayName));
    const initial = isObject(body.InitialMessage) ? str(body.InitialMessage.Content) : undefined;
    if (initial) publish(contact, { Type: 'MESSAGE', ContentType: 'text/plain', Content: initial, ParticipantId: contact.participantId, DisplayName: displayName, ParticipantRole: 'CUSTOMER' });
    emit('started', { contactId, attributes, displayName });
    return ok({ ContactId: contactId, ParticipantId: contact.participantId, ParticipantToken: contact.participantToken });
  };

  const createConnection = (bearer: string | undefined, body: Json): ConnectApiResult => {
    const contact = bearer === undefined ? undefined : byParticipantToken.get(bearer);
    if (!contact) return error(403, 'AccessDeniedException', 'You do not have sufficient access to perform this action.');
    const types = Array.isArray(body.Type) ? body.Type : [];
    if (!types.includes('WEBSOCKET') && !types.includes('CONNECTION_CREDENTIALS') && body.ConnectParticipant !== true) {
      return error(400, 'ValidationException', 'Type must contain WEBSOCKET or CONNECTION_CREDENTIALS.');
    }
    const token = `sim-connection-${nextId()}`;
    const expiresAt = scheduler.now() + connectionTtlMs;
    connections.set(token, { contact, expiresAt });
    const expiry = new Date(expiresAt).toISOString();
    return ok({
      ...(types.includes('WEBSOCKET') ? { Websocket: { Url: websocketUrl(token), ConnectionExpiry: expiry } } : {}),
      ...(types.includes('CONNECTION_CREDENTIALS') ? { ConnectionCredentials: { ConnectionToken: token, Expiry: expiry } } : {}),
    });
  };

  const sendMessage = (contact: Contact, body: Json): ConnectApiResult => {
    const contentType = str(body.ContentType);
    const content = str(body.Content);
    if (!contentType || !MESSAGE_TYPES.has(contentType)) return error(400, 'ValidationException', `Unsupported ContentType ${String(body.ContentType)}.`);
    if (!content || content.length > MAX_CONTENT) return error(400, 'ValidationException', `Content must be 1 to ${MAX_CONTENT} characters.`);
    const clientToken = str(body.ClientToken);
    const item = idempotent(contact, clientToken, () => {
      const sent = publish(contact, { Type: 'MESSAGE', ContentType: contentType, Content: content, ParticipantId: contact.participantId, DisplayName: contact.displayName, ParticipantRole: 'CUSTOMER' });
      emit('message', { contactId: contact.contactId, id: sent.Id, text: content, contentType, ...(clientToken === undefined ? {} : { clientToken }) });
      return sent;
    });
    return ok({ Id: item.Id, AbsoluteTime: item.AbsoluteTime });
  };

  const sendEvent = (contact: Contact, body: Json): ConnectApiResult => {
    const contentType = str(body.ContentType);
    const content = str(body.Content);
    if (!contentType || !CUSTOMER_EVENTS.has(contentType)) return error(400, 'ValidationException', `Unsupported event ContentType ${String(body.ContentType)}.`);
    if (content !== undefined && content.length > MAX_CONTENT) return error(400, 'ValidationException', `Content must be at most ${MAX_CONTENT} characters.`);
    const item = idempotent(contact, str(body.ClientToken), () => {
      emit('event', { contactId: contact.contactId, contentType, ...(content === undefined ? {} : { content }) });
      const fields = participantEvent(contentType, 'CUSTOMER', contact.participantId, contact.displayName);
      return publish(contact, { ...fields, ...(content === undefined ? {} : { Content: content }) }, false);
    });
    return ok({ Id: item.Id, AbsoluteTime: item.AbsoluteTime });
  };

  const getTranscript = (contact: Contact, body: Json): ConnectApiResult => {
    const max = body.MaxResults === undefined ? 15 : body.MaxResults;
    if (typeof max !== 'number' || !Number.isInteger(max) || max < 0 || max > 100) return error(400, 'ValidationException', 'MaxResults must be an integer from 0 to 100.');
    const backward = body.ScanDirection !== 'FORWARD';
    const items = contact.transcript;
    const start = isObject(body.StartPosition) ? body.StartPosition : {};
    let from: number;
    const token = str(body.NextToken);
    if (token !== undefined) {
      const match = /^sim-page-(\d+)$/.exec(token);
      if (!match) return error(400, 'ValidationException', 'NextToken is not valid.');
      from = Number(match[1]);
    } else if (typeof start.Id === 'string') {
      const index = items.findIndex((item) => item.Id === start.Id);
      if (index < 0) return error(400, 'ValidationException', `StartPosition.Id ${start.Id} is not in the transcript.`);
      from = backward ? index - 1 : index + 1;
    } else if (typeof start.AbsoluteTime === 'string') {
      const time = start.AbsoluteTime;
      const after = items.findIndex((item) => item.AbsoluteTime > time);
      from = (after < 0 ? items.length : after) - (backward ? 1 : 0);
    } else {
      from = backward ? items.length - 1 : 0;
    }
    const page = backward ? items.slice(Math.max(0, from - max + 1), from + 1) : items.slice(from, from + max);
    const next = backward ? from - max : from + max;
    const more = backward ? next >= 0 : next < items.length;
    const sorted = body.SortOrder === 'DESCENDING' ? [...page].reverse() : page;
    return ok({ InitialContactId: contact.initialContactId, Transcript: sorted, ...(more && page.length > 0 ? { NextToken: `sim-page-${next}` } : {}) });
  };

  const startUpload = (contact: Contact, body: Json): ConnectApiResult => {
    const name = str(body.AttachmentName);
    const type = str(body.ContentType);
    const size = body.AttachmentSizeInBytes;
    if (!name || !type || typeof size !== 'number' || size < 1) return error(400, 'ValidationException', 'AttachmentName, ContentType and AttachmentSizeInBytes are required.');
    if (size > maxAttachmentBytes) return error(413, 'ServiceQuotaExceededException', `The attachment is larger than ${maxAttachmentBytes} bytes.`);
    const id = nextId();
    files.set(id, { data: new Uint8Array(size), attachment: { AttachmentId: id, AttachmentName: name, ContentType: type, Status: 'IN_PROGRESS' }, contactId: contact.initialContactId, uploaded: false, completed: false });
    return ok({ AttachmentId: id, UploadMetadata: { Url: uploadUrl(id), UrlExpiry: new Date(scheduler.now() + 300_000).toISOString(), HeadersToInclude: { 'Content-Type': type } } });
  };

  const completeUpload = (contact: Contact, body: Json): ConnectApiResult => {
    const ids = Array.isArray(body.AttachmentIds) ? body.AttachmentIds : [];
    const found = ids.map((id) => (typeof id === 'string' ? files.get(id) : undefined));
    if (ids.length === 0 || found.some((file) => !file || file.contactId !== contact.initialContactId || !file.uploaded)) {
      return error(400, 'ValidationException', 'AttachmentIds must name files of this chat that were uploaded to their upload URL.');
    }
    for (const file of found as StoredFile[]) {
      if (file.completed) continue;
      file.completed = true;
      const attachment: ConnectAttachment = { ...file.attachment, Status: 'APPROVED' };
      files.set(attachment.AttachmentId, { ...file, attachment });
      publish(contact, { Type: 'ATTACHMENT', ContentType: attachment.ContentType, Attachments: [attachment], ParticipantId: contact.participantId, DisplayName: contact.displayName, ParticipantRole: 'CUSTOMER' });
      emit('attachment', { contactId: contact.contactId, attachment, size: file.data.length });
    }
    return ok({});
  };

  const getAttachment = (contact: Contact, body: Json): ConnectApiResult => {
    const id = str(body.AttachmentId);
    const file = id === undefined ? undefined : files.get(id);
    if (!file || !file.completed || file.contactId !== contact.initialContactId) return error(404, 'ResourceNotFoundException', 'The attachment does not exist.');
    return ok({ Url: downloadUrl(file.attachment.AttachmentId), UrlExpiry: new Date(scheduler.now() + 300_000).toISOString(), AttachmentSizeInBytes: file.data.length });
  };

  const disconnect = (contact: Contact): ConnectApiResult => {
    publish(contact, participantEvent(CONNECT_EVENT.left, 'CUSTOMER', contact.participantId, contact.displayName));
    publish(contact, systemEvent(CONNECT_EVENT.ended));
    closeContact(contact);
    emit('disconnected', { contactId: contact.contactId });
    return ok({});
  };

  const operations: Record<string, (contact: Contact, body: Json) => ConnectApiResult> = {
    '/participant/message': sendMessage,
    '/participant/event': sendEvent,
    '/participant/transcript': getTranscript,
    '/participant/start-attachment-upload': startUpload,
    '/participant/complete-attachment-upload': completeUpload,
    '/participant/attachment': getAttachment,
    '/participant/disconnect': disconnect,
  };

  const socketFrame = (socket: Socket, text: string) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    const topic = isObject(parsed) ? parsed.topic : undefined;
    if (topic === 'aws/heartbeat') return socket.client.send(JSON.stringify({ topic }));
    if (topic === 'aws/ping') return socket.client.send(JSON.stringify({ topic, statusCode: 200, statusContent: 'OK' }));
    if (topic === 'aws/subscribe' && isObject(parsed) && isObject(parsed.content) && Array.isArray(parsed.content.topics)) {
      const topics = parsed.content.topics;
      const valid = topics.length > 0 && topics.every((name) => name === 'aws/chat');
      socket.client.send(JSON.stringify({ topic, content: { status: valid ? 'success' : 'failure', topics } }));
      if (valid && !socket.subscribed) {
        socket.subscribed = true;
        emit('subscribed', { contactId: socket.contact.contactId });
      }
      return;
    }
    socket.client.send(JSON.stringify({ message: 'Invalid request', connectionId: socket.contact.contactId, requestId: nextId() }));
  };

  const join = (name: string): string => {
    const contact = active();
    contact.agent = { name, participantId: nextId() };
    return publish(contact, participantEvent(CONNECT_EVENT.joined, 'AGENT', contact.agent.participantId, name)).Id;
  };

  return {
    startChatContact,
    participant(path, bearer, body) {
      if (path === '/participant/connection') return createConnection(bearer, isObject(body) ? body : {});
      const operation = operations[path];
      if (!operation) return error(404, 'ResourceNotFoundException', `Unknown operation ${path}.`);
      const contact = connection(bearer);
      if (!contact) return error(403, 'AccessDeniedException', 'You do not have sufficient access to perform this action.');
      if (!isObject(body)) return error(400, 'ValidationException', 'The request body must be a JSON object.');
      return operation(contact, body);
    },
    openSocket(connectionToken, client) {
      const contact = connection(connectionToken);
      if (!contact) return undefined;
      const socket: Socket = { client, contact, subscribed: false };
      contact.sockets.add(socket);
      const closed = () => {
        if (contact.sockets.delete(socket)) emit('closed', { contactId: contact.contactId, sockets: contact.sockets.size });
      };
      return { receive: (text) => socketFrame(socket, text), closed };
    },
    upload(attachmentId, data) {
      const file = files.get(attachmentId);
      if (!file || file.completed || file.data.length !== data.length) return false;
      files.set(attachmentId, { ...file, data, uploaded: true });
      return true;
    },
    file(attachmentId) {
      const file = files.get(attachmentId);
      return file?.completed ? { data: file.data, type: file.attachment.ContentType, name: file.attachment.AttachmentName } : undefined;
    },
    join,
    say(text) {
      const contact = active();
      return publish(contact, agentItem(contact, { ContentType: 'text/plain', Content: text })).Id;
    },
    type() {
      const contact = active();
      publish(contact, agentItem(contact, { Type: 'EVENT', ContentType: CONNECT_EVENT.typing }), false);
    },
    receipt(messageId, kind) {
      const contact = active();
      const at = now();
      const receipt = { ...(kind === 'read' ? { ReadTimestamp: at } : { DeliveredTimestamp: at }), RecipientParticipantId: agentOf(contact).participantId };
      publish(contact, { Type: 'MESSAGE_METADATA', MessageMetadata: { MessageId: messageId, Receipts: [receipt] } }, false);
    },
    attach(file) {
      const contact = active();
      const id = nextId();
      const attachment: ConnectAttachment = { AttachmentId: id, AttachmentName: file.name, ContentType: file.type, Status: 'APPROVED' };
      files.set(id, { data: file.data, attachment, contactId: contact.initialContactId, uploaded: true, completed: true });
      return publish(contact, agentItem(contact, { Type: 'ATTACHMENT', ContentType: file.type, Attachments: [attachment] })).Id;
    },
    transfer(toName) {
      const contact = active();
      const from = agentOf(contact);
      publish(contact, systemEvent(CONNECT_EVENT.transferSucceeded));
      publish(contact, participantEvent(CONNECT_EVENT.left, 'AGENT', from.participantId, from.name));
      contact.contactId = nextId();
      delete contact.agent;
      if (toName !== undefined) join(toName);
    },
    leave() {
      const contact = active();
      const agent = agentOf(contact);
      delete contact.agent;
      publish(contact, participantEvent(CONNECT_EVENT.left, 'AGENT', agent.participantId, agent.name));
    },
    end() {
      const contact = active();
      if (contact.agent) publish(contact, participantEvent(CONNECT_EVENT.left, 'AGENT', contact.agent.participantId, contact.agent.name));
      publish(contact, systemEvent(CONNECT_EVENT.ended));
      closeContact(contact);
    },
    dropSockets() {
      const contact = active();
      for (const socket of [...contact.sockets]) {
        contact.sockets.delete(socket);
        socket.client.drop();
      }
    },
    expire() {
      const contact = active();
      closeContact(contact);
      for (const socket of [...contact.sockets]) socket.client.drop();
      contact.sockets.clear();
    },
    select(contactId) {
      const found = contacts.find((contact) => contact.initialContactId === contactId || contact.contactId === contactId);
      if (found) latest = found;
      return found && { initialContactId: found.initialContactId, contactId: found.contactId, ended: found.ended };
    },
    sendRaw(text) {
      broadcast(active(), text);
    },
    get transcript() {
      return latest ? [...latest.transcript] : [];
    },
    get sockets() {
      return latest ? latest.sockets.size : 0;
    },
    on(event, handler) {
      const set = handlers.get(event) ?? new Set();
      handlers.set(event, set);
      set.add(handler as (payload: never) => void);
      return () => set.delete(handler as (payload: never) => void);
    },
  };
}
