/**
 * Amazon Connect Chat, against the local participant simulator (`rx-service-desk/simulator/amazon-connect`) on
 * 127.0.0.1. The chat page runs the real `amazon-connect-chatjs` against it. The demo server plays the middleware:
 * `POST /amazon-connect/chat` starts a chat with the simulator's StartChatContact (no AWS). There is no scripted
 * agent: a person drives the chats from the agent console, over `/ws/console/amazon-connect` (the same console
 * protocol as the simulated desk, plus `POST /api/console/amazon-connect`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WebSocket } from 'ws';
import { CONNECT_EVENT, type ConnectItem } from '../../../lib/adapters/amazon-connect/protocol.js';
import { startConnectSimulator, type ConnectSimulator } from '../../../lib/simulator/amazon-connect/index.js';
import { DEFAULT_AGENTS, type SimAgent, type TranscriptEntry } from '../../../lib/simulator/index.js';
import type { ConsoleCommand, ConsoleConversation, ConsoleUpdate } from '../../shared/console-protocol.js';
import { answerCommand, readBody, sendError, sendJson } from '../http-util.js';
import { parseJson, toConsoleCommand } from '../validate.js';
import { sendFrame, serveConsole } from '../ws-util.js';
import type { ServerVendor, VendorFactory } from './types.js';

/** The region the chat page gives `amazon-connect-chatjs` (the simulator ignores it). */
const REGION = 'us-east-1';
/** Connect sends no "stopped typing": the console shows the user typing this long after their last typing event. */
const USER_TYPING_MS = 6_000;
/** The longest conversation summary Connect takes as `InitialMessage`. */
const MAX_INITIAL_MESSAGE = 1_024;

/** What the console shows that the transcript does not hold. */
interface ChatState {
  /** The console's id of the chat: `connect-N`. */
  readonly id: string;
  /** Its initial contact id at the simulator. */
  readonly contactId: string;
  /** The transcript item that carries the conversation summary (StartChatContact's `InitialMessage`). */
  readonly summaryId: string | undefined;
  userTyping: boolean;
  typingTimer?: NodeJS.Timeout;
  userRead: boolean;
}

const agentNamed = (name: string): SimAgent => DEFAULT_AGENTS.find((agent) => agent.nickname === name) ?? { id: name, nickname: name };

/** One transcript item as a console line, or `undefined` for the items a console does not show. */
function entry(item: ConnectItem, summaryId: string | undefined, endpoint: string): TranscriptEntry | undefined {
  const at = Date.parse(item.AbsoluteTime);
  const base = { id: item.Id, at };
  const who = item.DisplayName ?? 'The agent';
  if (item.Id === summaryId) return { ...base, from: 'system', text: `Summary: ${item.Content ?? ''}` };
  if (item.Type === 'MESSAGE' || item.Type === 'ATTACHMENT') {
    const from = item.ParticipantRole === 'CUSTOMER' ? 'user' : 'agent';
    const attachments = (item.Attachments ?? []).map((file) => ({ url: `${endpoint}/files/${file.AttachmentId}`, name: file.AttachmentName, mimeType: file.ContentType }));
    return { ...base, from, text: item.Content ?? '', ...(from === 'agent' ? { agentName: who } : {}), ...(attachments.length ? { attachments } : {}) };
  }
  if (item.Type !== 'EVENT' || item.ParticipantRole === 'CUSTOMER') return undefined;
  const text: Record<string, string> = {
    [CONNECT_EVENT.joined]: `${who} joined.`,
    [CONNECT_EVENT.left]: `${who} left.`,
    [CONNECT_EVENT.transferSucceeded]: 'Transferred.',
    [CONNECT_EVENT.ended]: 'The chat ended.',
  };
  const line = item.ContentType === undefined ? undefined : text[item.ContentType];
  return line === undefined ? undefined : { ...base, from: 'system', text: line };
}

/** The agent in the chat now: the last one who joined and has not left. */
function currentAgent(transcript: readonly ConnectItem[]): string | undefined {
  let agent: string | undefined;
  for (const item of transcript) {
    if (item.Type !== 'EVENT' || item.ParticipantRole !== 'AGENT') continue;
    if (item.ContentType === CONNECT_EVENT.joined) agent = item.DisplayName;
    else if (item.ContentType === CONNECT_EVENT.left) agent = undefined;
  }
  return agent;
}

/** The chat as the console protocol sends it. */
function snapshot(sim: ConnectSimulator, chat: ChatState): ConsoleConversation | undefined {
  const ids = sim.select(chat.contactId);
  if (!ids) return undefined;
  const transcript = sim.transcript;
  const agent = ids.ended ? undefined : currentAgent(transcript);
  return {
    vendor: 'amazon-connect',
    id: chat.id,
    status: ids.ended ? 'ended' : agent ? 'active' : 'queued',
    position: 0,
    waitMinutes: 0,
    ...(agent === undefined ? {} : { agent: agentNamed(agent) }),
    auto: false,
    connected: !ids.ended && sim.sockets > 0,
    userTyping: chat.userTyping,
    agentTyping: false,
    userRead: chat.userRead,
    transcript: transcript.flatMap((item) => entry(item, chat.summaryId, sim.endpoint) ?? []),
  };
}

/** The agent who takes the chat: `agentId`'s, else the first one who is not `busy`. */
function pick(agentId: string | undefined, busy?: string): SimAgent | string {
  if (agentId) return DEFAULT_AGENTS.find((agent) => agent.id === agentId) ?? `no agent "${agentId}"`;
  return DEFAULT_AGENTS.find((agent) => agent.nickname !== busy) ?? 'no agent is free';
}

/** Runs one console command on the simulator; returns why it was refused, or `undefined`. */
function apply(sim: ConnectSimulator, chat: ChatState, command: ConsoleCommand): string | undefined {
  const busy = currentAgent(sim.transcript);
  switch (command.op) {
    case 'join': {
      if (busy) return `${busy} is already in this chat`;
      const agent = pick(command.agentId);
      if (typeof agent === 'string') return agent;
      sim.join(agent.nickname);
      return undefined;
    }
    case 'say':
      chat.userRead = false;
      sim.say(command.text);
      return undefined;
    case 'typing':
      // Connect has no "stopped typing" event: the indicator fades on the customer's side.
      if (command.on) sim.type();
      return undefined;
    case 'read': {
      const last = [...sim.transcript].reverse().find((item) => item.Type === 'MESSAGE' && item.ParticipantRole === 'CUSTOMER');
      if (last) sim.receipt(last.Id, 'read');
      return undefined;
    }
    case 'transfer': {
      const agent = pick(command.agentId, busy);
      if (typeof agent === 'string') return agent;
      sim.transfer(agent.nickname);
      return undefined;
    }
    case 'drop':
      sim.dropSockets();
      return undefined;
    case 'end':
      sim.end();
      return undefined;
    case 'queue':
      return 'an Amazon Connect chat waits in the queue of its contact flow: this console cannot move it';
    case 'auto':
      return 'Amazon Connect chats have no scripted agent here: answer them from this console';
    case 'rich':
    case 'share':
      return 'not available for Amazon Connect chats in this demo: the console sends rich content and screen share requests on the simulated desk only';
  }
}

/** Checks `POST /amazon-connect/chat`'s body (what the middleware's endpoint takes) and returns the initial message. */
function initialMessage(body: unknown): string | undefined | Error {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return new Error('The body must be a JSON object.');
  const message = (body as Record<string, unknown>).initialMessage;
  if (message === undefined) return undefined;
  if (typeof message !== 'string' || message.length < 1 || message.length > MAX_INITIAL_MESSAGE) {
    return new Error(`"initialMessage" must be text of 1 to ${MAX_INITIAL_MESSAGE} characters.`);
  }
  return message;
}

/**
 * Amazon Connect as a demo vendor: the participant simulator on a free loopback port, the StartChatContact role of
 * the middleware, and the console's view of every Connect chat.
 *
 * @example
 * const vendors = { 'amazon-connect': amazonConnectVendor() };
 */
export function amazonConnectVendor(): VendorFactory {
  return async ({ origin, log }): Promise<ServerVendor> => {
    const sim = await startConnectSimulator({ allowedOrigins: [origin, origin.replace('127.0.0.1', 'localhost')] });
    const chats = new Map<string, ChatState>();
    const consoles = new Set<WebSocket>();
    const list = () => [...chats.values()].flatMap((chat) => snapshot(sim, chat) ?? []);
    /** The chat of an initial or current contact id. */
    const chatOf = (contactId: string) => {
      const initial = sim.select(contactId)?.initialContactId;
      return [...chats.values()].find((chat) => chat.contactId === initial);
    };
    const changed = (contactId: string) => {
      const chat = chatOf(contactId);
      const conversation = chat && consoles.size > 0 ? snapshot(sim, chat) : undefined;
      if (conversation) for (const socket of consoles) sendFrame(socket, { t: 'conversation', conversation } satisfies ConsoleUpdate);
    };
    const command = (value: unknown): string | undefined => {
      const parsed = toConsoleCommand(value);
      if (typeof parsed === 'string') return parsed;
      const chat = chats.get(parsed.id);
      if (!chat || !sim.select(chat.contactId)) return `no conversation "${parsed.id}"`;
      let refused: string | undefined;
      try {
        refused = apply(sim, chat, parsed);
      } catch (error) {
        refused = error instanceof Error ? error.message : String(error);
      }
      changed(chat.contactId);
      return refused;
    };
    const typing = (chat: ChatState, on: boolean) => {
      clearTimeout(chat.typingTimer);
      chat.userTyping = on;
      if (on) {
        chat.typingTimer = setTimeout(() => {
          typing(chat, false);
          changed(chat.contactId);
        }, USER_TYPING_MS);
      }
    };
    const stops = [
      sim.on('message', ({ contactId }) => {
        const chat = chatOf(contactId);
        if (chat) typing(chat, false);
        changed(contactId);
      }),
      sim.on('event', ({ contactId, contentType }) => {
        const chat = chatOf(contactId);
        if (chat && contentType === CONNECT_EVENT.typing) typing(chat, true);
        if (chat && contentType === CONNECT_EVENT.read) chat.userRead = true;
        changed(contactId);
      }),
      ...(['attachment', 'disconnected', 'closed', 'subscribed'] as const).map((name) => sim.on(name, ({ contactId }) => changed(contactId))),
    ];

    const startChat = async (request: IncomingMessage, response: ServerResponse) => {
      const raw = await readBody(request).catch(() => undefined);
      const message = raw === undefined ? new Error('The body is too large.') : initialMessage(parseJson(raw));
      if (message instanceof Error) return sendError(response, 400, 'BAD_REQUEST', message.message);
      const answer = sim.startChatContact({
        ParticipantDetails: { DisplayName: 'Demo customer' },
        ...(message === undefined ? {} : { InitialMessage: { ContentType: 'text/plain', Content: message } }),
      });
      const { ContactId, ParticipantId, ParticipantToken } = answer.body as Record<string, string>;
      if (answer.status !== 200 || !ContactId) return sendError(response, 502, 'UPSTREAM_ERROR', 'The simulator refused StartChatContact.');
      // The summary is the item after the customer's join (the simulator's StartChatContact, core.ts).
      const summaryId = message === undefined ? undefined : sim.transcript[1]?.Id;
      const id = `connect-${chats.size + 1}`;
      chats.set(id, { id, contactId: ContactId, summaryId, userTyping: false, userRead: false });
      changed(ContactId);
      sendJson(response, 200, { contactId: ContactId, participantId: ParticipantId, participantToken: ParticipantToken });
    };

    log(`Amazon Connect participant simulator: ${sim.endpoint}`);
    return {
      client: { endpoint: sim.endpoint, region: REGION, chatPath: '/amazon-connect/chat' },
      connectSrc: [sim.endpoint, sim.endpoint.replace(/^http/, 'ws')],
      sockets: {
        '/ws/console/amazon-connect': (socket) => serveConsole(socket, consoles, { t: 'hello', conversations: list(), agents: DEFAULT_AGENTS }, command),
      },
      route: async (request, response, url) => {
        if (url.pathname === '/amazon-connect/chat' && request.method === 'POST') {
          await startChat(request, response);
          return true;
        }
        if (url.pathname === '/api/console/amazon-connect' && request.method === 'POST') {
          await answerCommand(request, response, command);
          return true;
        }
        return false;
      },
      async close() {
        for (const stop of stops) stop();
        for (const chat of chats.values()) clearTimeout(chat.typingTimer);
        for (const socket of consoles) socket.close(1001, 'server stopping');
        await sim.close();
      },
    };
  };
}
