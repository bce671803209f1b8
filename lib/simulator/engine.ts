import { Subject, asyncScheduler, type Observable, type SchedulerLike, type Subscription } from 'rxjs';
import { silentLogger } from '../core/logger.js';
import { readChatContext } from '../host/context.js';
import type {
  ClientFrame,
  DeskFrame,
  HistoryFrame,
  SimAgent,
  SimAttachment,
  SimContent,
  SimScreenShareAnswer,
  TransportConnection,
  TransportHandlers,
} from './protocol.js';

/** How long the scripted agent takes for each step, in ms. */
export interface EngineTiming {
  /** Between two queue updates (the queue moves one place each step). */
  queueStepMs: number;
  /** From a user message to the agent's read receipt. */
  readMs: number;
  /** From a user message to the agent starting to type. */
  typingStartMs: number;
  /** How long the agent types before the reply arrives. */
  replyMs: number;
  /** From the old agent leaving to the new one joining in a transfer. */
  transferMs: number;
  /** How long a simulated network outage lasts (`disconnect`). */
  outageMs: number;
}

/** The default {@link EngineTiming}: lively enough for a demo. */
export const DEFAULT_TIMING: Readonly<EngineTiming> = {
  queueStepMs: 1_500,
  readMs: 300,
  typingStartMs: 500,
  replyMs: 1_500,
  transferMs: 2_000,
  outageMs: 3_000,
};

/** Options of {@link SimulatedDeskEngine}. */
export interface EngineOptions {
  /** Every timer of the desk runs on it. Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
  timing?: Partial<EngineTiming>;
  /** The agents, in the order they take chats and transfers. Default Ann, Bob and Carol. */
  agents?: readonly SimAgent[];
  /** Where a user starts in the queue. Default 2. */
  queuePosition?: number;
  /** Whether the scripted agent joins and answers by itself. Default `true`; a console can take over per chat. */
  autoAgent?: boolean;
  /** Base URL of the files the agent sends (`upload`). Default `https://files.example.invalid/`. */
  fileBaseUrl?: string;
  /** Largest user file the desk takes. Default 5 MB. */
  maxFileSizeBytes?: number;
  /** Session tokens. Default: `crypto.randomUUID()` where available, else a counter. */
  createToken?: () => string;
  /** Most chats open at once; a chat beyond it is refused (an error frame, `REJECTED`). Default 1,000. */
  maxLiveConversations?: number;
  /** How long an ended chat nobody is connected to stays resumable, in ms. Default 10 minutes. */
  endedRetentionMs?: number;
  /** Most ended chats kept for resuming; the least recently used are forgotten first. Default 1,000. */
  maxEndedConversations?: number;
  /** A chat whose user has been gone this long (ms) is ended and forgotten. Default 30 minutes. */
  abandonedAfterMs?: number;
}

/** The default limits of {@link SimulatedDeskEngine}: what it keeps, and for how long. */
export const DEFAULT_LIMITS = {
  maxLiveConversations: 1_000,
  endedRetentionMs: 10 * 60_000,
  maxEndedConversations: 1_000,
  abandonedAfterMs: 30 * 60_000,
} as const satisfies Required<Pick<EngineOptions, 'maxLiveConversations' | 'endedRetentionMs' | 'maxEndedConversations' | 'abandonedAfterMs'>>;
type Limits = { readonly [K in keyof typeof DEFAULT_LIMITS]: number };

/** One line of a conversation as an agent console shows it. */
export interface TranscriptEntry {
  readonly id: string;
  readonly from: 'user' | 'agent' | 'system';
  readonly text: string;
  readonly at: number;
  readonly agentName?: string;
  readonly attachments?: readonly SimAttachment[];
  /** Rich content the agent sent (file cards, images, option lists, ...). */
  readonly content?: readonly SimContent[];
  readonly failed?: boolean;
}

/** A conversation as an agent console shows it. */
export interface ConversationSnapshot {
  readonly id: string;
  readonly status: 'queued' | 'active' | 'transferring' | 'ended';
  readonly position: number;
  readonly waitMinutes: number;
  readonly agent?: SimAgent;
  /** Whether the scripted agent answers (false once a person takes over). */
  readonly auto: boolean;
  /** Whether a chat client is connected right now. */
  readonly connected: boolean;
  readonly userTyping: boolean;
  readonly agentTyping: boolean;
  /** Whether the user has read the agent's last message. */
  readonly userRead: boolean;
  /** The routing and pre-chat context the chat started with (the host's `context.attributes`), when any. */
  readonly context?: Readonly<Record<string, string>>;
  /** The screen share: asked, the user's answer, or ended; absent when never asked. */
  readonly screenShare?: 'requested' | 'ended' | SimScreenShareAnswer;
  readonly transcript: readonly TranscriptEntry[];
}

/**
 * One change of a conversation, for agent consoles: its state now and the transcript lines the change added. A
 * console reads the whole transcript once (`get`, `list`) and appends `appended` from then on.
 */
export interface ConversationChange extends Omit<ConversationSnapshot, 'transcript'> {
  /** The transcript lines added since the previous change of this conversation. */
  readonly appended: readonly TranscriptEntry[];
}

const COMMANDS = ['help', 'transfer', 'disconnect', 'end', 'fail', 'upload', 'queue', 'options', 'share'] as const;
type Command = (typeof COMMANDS)[number];

function avatar(initial: string, color: string): string {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><rect width="64" height="64" rx="32" fill="${color}"/><text x="32" y="42" font-size="28" font-family="sans-serif" text-anchor="middle" fill="#fff">${initial}</text></svg>`;
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

/** The default agents of the simulated desk. */
export const DEFAULT_AGENTS: readonly SimAgent[] = [
  { id: 'agent-ann', nickname: 'Ann', avatarUrl: avatar('A', '#0f62fe') },
  { id: 'agent-bob', nickname: 'Bob', avatarUrl: avatar('B', '#198038') },
  { id: 'agent-carol', nickname: 'Carol', avatarUrl: avatar('C', '#8a3ffc') },
];

const HELP = [
  'Here is what I can do in this simulation. Type one word:',
  '- transfer: hand you to another agent',
  '- queue: put you back in the queue',
  '- disconnect: drop the connection for a few seconds',
  '- upload: send you a file (files you send named "reject" are refused)',
  '- options: offer you quick replies',
  '- share: ask you to share your screen',
  '- fail: refuse your message (it shows as failed)',
  '- end: I end the chat',
].join('\n');

interface Conversation {
  readonly id: string;
  readonly token: string;
  status: ConversationSnapshot['status'];
  position: number;
  waitMinutes: number;
  agent: SimAgent | undefined;
  nextAgent: number;
  auto: boolean;
  seq: number;
  /** Every numbered frame; `history[i].seq === i + 1`. */
  readonly history: HistoryFrame[];
  transferred: boolean;
  client: TransportHandlers | undefined;
  outageUntil: number;
  busyUntil: number;
  readonly timers: Set<Subscription>;
  readonly seen: Map<string, DeskFrame>;
  userTyping: boolean;
  agentTyping: boolean;
  userRead: boolean;
  readonly context: Readonly<Record<string, string>>;
  screenShare: ConversationSnapshot['screenShare'];
  readonly transcript: TranscriptEntry[];
  /** How many transcript lines the previous change covered. */
  published: number;
}

let tokenCounter = 0;
const defaultToken = () =>
  typeof globalThis.crypto?.randomUUID === 'function' ? globalThis.crypto.randomUUID() : `sim-token-${++tokenCounter}`;

/**
 * The simulated service desk: a queue, agents with names and avatars, and a scripted agent that answers, types,
 * reads, transfers, drops the connection, fails a message, takes files, offers quick replies, asks to share the
 * screen and ends the chat when the user types one of `help`, `transfer`, `queue`, `disconnect`, `upload`, `fail`,
 * `options`, `share`, `end`. An agent console (see the demo) drives the same conversations by hand through the
 * methods below. Deterministic under an injected scheduler.
 *
 * @example
 * const engine = new SimulatedDeskEngine({ scheduler: testScheduler, timing: { queueStepMs: 10 } });
 * const adapter = simulatedDesk({ transport: engineTransport(engine) });
 */
export class SimulatedDeskEngine {
  readonly #scheduler: SchedulerLike;
  readonly #timing: EngineTiming;
  readonly #agents: readonly SimAgent[];
  readonly #options: EngineOptions;
  readonly #limits: Limits;
  readonly #conversations = new Map<string, Conversation>();
  readonly #byToken = new Map<string, Conversation>();
  /** Chats nobody is connected to, by when they were left (oldest first): live ones, and ended ones. */
  readonly #leftLive = new Map<Conversation, number>();
  readonly #leftEnded = new Map<Conversation, number>();
  readonly #changes = new Subject<ConversationChange>();
  #ids = 0;
  #openChats = 0;

  /** Every change of every conversation, for agent consoles. Built only while someone listens. */
  readonly changes$: Observable<ConversationChange> = this.#changes.asObservable();

  constructor(options: EngineOptions = {}) {
    this.#options = options;
    this.#scheduler = options.scheduler ?? asyncScheduler;
    this.#timing = { ...DEFAULT_TIMING, ...options.timing };
    this.#agents = options.agents?.length ? options.agents : DEFAULT_AGENTS;
    this.#limits = {
      maxLiveConversations: options.maxLiveConversations ?? DEFAULT_LIMITS.maxLiveConversations,
      endedRetentionMs: options.endedRetentionMs ?? DEFAULT_LIMITS.endedRetentionMs,
      maxEndedConversations: options.maxEndedConversations ?? DEFAULT_LIMITS.maxEndedConversations,
      abandonedAfterMs: options.abandonedAfterMs ?? DEFAULT_LIMITS.abandonedAfterMs,
    };
  }

  /** Opens a client connection. Frames reach `handlers` asynchronously, as over a network. */
  connect(handlers: TransportHandlers): TransportConnection {
    let conversation: Conversation | undefined;
    let open = true;
    let delivering = true;
    const deliver: TransportHandlers = {
      frame: (frame) => this.#later(undefined, 0, () => delivering && handlers.frame(frame)),
      close: (reason) => {
        if (!open) return;
        open = false;
        this.#later(undefined, 0, () => {
          if (!delivering) return;
          delivering = false;
          handlers.close(reason);
        });
      },
    };
    /** The chat this connection had is left: it is swept as abandoned like any other chat nobody is connected to. */
    const leave = () => {
      if (conversation?.client !== deliver) return;
      this.#setClient(conversation, undefined);
      this.#publish(conversation);
    };
    return {
      send: (frame) => {
        if (!open) return;
        if (frame.t === 'start' || frame.t === 'resume') leave();
        if (frame.t === 'start') {
          this.#sweep();
          const max = this.#limits.maxLiveConversations;
          if (this.#openChats >= max) {
            deliver.frame({ t: 'error', code: 'REJECTED', message: `The desk is full: it takes ${max} open chats at most. Try again in a few minutes.` });
            deliver.close('the desk is full');
            return;
          }
          conversation = this.#start(frame.summary, frame.context);
          this.#attach(conversation, deliver, undefined);
          return;
        }
        if (frame.t === 'resume') {
          conversation = this.#byToken.get(frame.token);
          if (!conversation) {
            deliver.frame({ t: 'error', code: 'SESSION_NOT_FOUND', message: 'This chat session is unknown or expired.' });
            deliver.close('session not found');
            return;
          }
          this.#attach(conversation, deliver, frame.lastSeq);
          return;
        }
        if (!conversation || conversation.client !== deliver) {
          deliver.frame({ t: 'error', code: 'BAD_FRAME', message: `"${frame.t}" before "start" or "resume".` });
          return;
        }
        this.#receive(conversation, frame);
      },
      close: () => {
        open = false;
        delivering = false;
        leave();
      },
    };
  }

  /** All conversations the desk keeps (see the limits of {@link EngineOptions}), newest last. */
  list(): ConversationSnapshot[] {
    return [...this.#conversations.values()].map((conversation) => this.#snapshot(conversation));
  }

  /** One conversation. */
  get(conversationId: string): ConversationSnapshot | undefined {
    const conversation = this.#conversations.get(conversationId);
    return conversation && this.#snapshot(conversation);
  }

  /** Console: an agent (the next one by default) joins a queued chat now. */
  join(conversationId: string, agent?: SimAgent): void {
    const conversation = this.#live(conversationId);
    if (conversation && conversation.status !== 'active') this.#join(conversation, agent);
  }

  /** Console: the current agent says something, with attachments or rich content (file cards, options, ...). */
  say(conversationId: string, text: string, attachments?: readonly SimAttachment[], content?: readonly SimContent[]): void {
    const conversation = this.#live(conversationId);
    if (conversation?.agent) this.#say(conversation, text, attachments, content);
  }

  /** Console: the current agent asks the user to share their screen. */
  requestScreenShare(conversationId: string): void {
    const conversation = this.#live(conversationId);
    if (!conversation?.agent || conversation.screenShare === 'requested' || conversation.screenShare === 'accepted') return;
    this.#screenShare(conversation, 'requested', 'Screen share requested.');
    this.#send(conversation, { t: 'screenShare', on: true });
  }

  /** Console: the agent ends (or withdraws) the screen share. */
  endScreenShare(conversationId: string): void {
    const conversation = this.#live(conversationId);
    if (conversation?.screenShare !== 'requested' && conversation?.screenShare !== 'accepted') return;
    this.#screenShare(conversation, 'ended', 'The agent ended the screen share.');
    this.#send(conversation, { t: 'screenShare', on: false });
  }

  /** Console: the current agent starts or stops typing. */
  setTyping(conversationId: string, on: boolean): void {
    const conversation = this.#live(conversationId);
    if (conversation?.agent) this.#typing(conversation, on);
  }

  /** Console: the agent has read the user's messages. */
  markRead(conversationId: string): void {
    const conversation = this.#live(conversationId);
    if (conversation?.agent) this.#send(conversation, { t: 'read' });
  }

  /** Console: hand the chat to another agent (the next one by default). */
  transfer(conversationId: string, to?: SimAgent): void {
    const conversation = this.#live(conversationId);
    if (conversation?.status === 'active') this.#transfer(conversation, to ?? this.#pickNext(conversation));
  }

  /** Console: set the user's place in the queue. */
  setQueue(conversationId: string, position: number, waitMinutes = position): void {
    const conversation = this.#live(conversationId);
    if (!conversation || conversation.status === 'active') return;
    conversation.position = Math.max(0, Math.floor(position));
    conversation.waitMinutes = Math.max(0, Math.floor(waitMinutes));
    this.#send(conversation, { t: 'queue', position: conversation.position, waitMinutes: conversation.waitMinutes });
    this.#publish(conversation);
  }

  /** Console: drop the user's connection; reconnecting fails until the outage is over. */
  dropConnection(conversationId: string, outageMs = this.#timing.outageMs): void {
    const conversation = this.#live(conversationId);
    if (!conversation) return;
    conversation.outageUntil = this.#scheduler.now() + outageMs;
    conversation.client?.close('connection dropped');
    this.#setClient(conversation, undefined);
    this.#publish(conversation);
  }

  /** Console: the agent ends the chat. */
  end(conversationId: string): void {
    const conversation = this.#live(conversationId);
    if (conversation) this.#end(conversation, 'The agent ended the chat.');
  }

  /** Console: take over from the scripted agent (`false`) or hand back (`true`). */
  setAuto(conversationId: string, auto: boolean): void {
    const conversation = this.#conversations.get(conversationId);
    if (!conversation) return;
    conversation.auto = auto;
    if (!auto) {
      this.#cancelTimers(conversation);
      this.#typing(conversation, false);
    }
    else if (conversation.status === 'queued') this.#scheduleQueue(conversation);
    this.#publish(conversation);
  }

  /** Stops every timer and forgets every conversation. */
  dispose(): void {
    for (const conversation of this.#conversations.values()) {
      this.#cancelTimers(conversation);
      conversation.client?.close('desk closed');
    }
    this.#conversations.clear();
    this.#byToken.clear();
    this.#leftLive.clear();
    this.#leftEnded.clear();
    this.#openChats = 0;
    this.#changes.complete();
  }

  /** Timers of the desk alive now (0 once every chat has ended). */
  get pendingTimers(): number {
    let total = 0;
    for (const conversation of this.#conversations.values()) total += conversation.timers.size;
    return total;
  }

  // --- conversation lifecycle -------------------------------------------------------------------------------

  #start(summary: readonly string[], context: unknown): Conversation {
    const id = `conv-${++this.#ids}`;
    const token = (this.#options.createToken ?? defaultToken)();
    const longQueue = summary.some((line) => /\bqueue\b/i.test(line));
    const position = longQueue ? 6 : (this.#options.queuePosition ?? 2);
    const conversation: Conversation = {
      id,
      token,
      status: 'queued',
      position,
      waitMinutes: position,
      agent: undefined,
      nextAgent: 0,
      auto: this.#options.autoAgent ?? true,
      seq: 0,
      history: [],
      transferred: false,
      client: undefined,
      outageUntil: 0,
      busyUntil: 0,
      timers: new Set(),
      seen: new Map(),
      userTyping: false,
      agentTyping: false,
      userRead: true,
      // It comes from a browser: kept only within the library's bounds.
      context: readChatContext({ startPayload: context }, silentLogger).attributes,
      screenShare: undefined,
      transcript: summary.map((text, index) => ({ id: `${id}-summary-${index}`, from: 'system' as const, text: `Summary: ${text}`, at: this.#scheduler.now() })),
      published: 0,
    };
    this.#conversations.set(id, conversation);
    this.#byToken.set(token, conversation);
    this.#openChats += 1;
    return conversation;
  }

  /**
   * Forgets ended chats nobody used for `endedRetentionMs` or beyond `maxEndedConversations` (least recently used
   * first), and ends and forgets chats whose user has been gone for `abandonedAfterMs`. Runs when a chat starts, the
   * only way the desk grows; each chat is looked at once, oldest first, so the cost stays O(1) per chat.
   */
  #sweep(): void {
    const now = this.#scheduler.now();
    const { abandonedAfterMs, endedRetentionMs, maxEndedConversations } = this.#limits;
    for (const [conversation, since] of this.#leftLive) {
      if (now - since < abandonedAfterMs) break;
      this.#end(conversation, 'The user left: the chat ended.', false);
      this.#forget(conversation);
    }
    for (const [conversation, since] of this.#leftEnded) {
      if (now - since < endedRetentionMs && this.#leftEnded.size <= maxEndedConversations) break;
      this.#forget(conversation);
    }
  }

  #forget(conversation: Conversation): void {
    this.#cancelTimers(conversation);
    this.#conversations.delete(conversation.id);
    this.#byToken.delete(conversation.token);
    this.#leftLive.delete(conversation);
    this.#leftEnded.delete(conversation);
  }

  /** Sets who is connected, and keeps the chats nobody is connected to in the order they were left. */
  #setClient(conversation: Conversation, client: TransportHandlers | undefined): void {
    conversation.client = client;
    this.#leftLive.delete(conversation);
    this.#leftEnded.delete(conversation);
    if (!client) (conversation.status === 'ended' ? this.#leftEnded : this.#leftLive).set(conversation, this.#scheduler.now());
  }

  #attach(conversation: Conversation, client: TransportHandlers, lastSeq: number | undefined): void {
    if (this.#scheduler.now() < conversation.outageUntil) {
      client.close('the desk is unreachable (simulated outage)');
      return;
    }
    if (conversation.client) {
      conversation.client.frame({ t: 'error', code: 'REPLACED', message: 'This chat continued in another window.' });
      conversation.client.close('replaced by a newer connection');
    }
    this.#setClient(conversation, client);
    client.frame({ t: 'session', token: conversation.token, resumed: lastSeq !== undefined });
    for (let index = Math.max(0, Math.floor(lastSeq ?? 0)); index < conversation.history.length; index += 1) {
      client.frame(conversation.history[index] as HistoryFrame);
    }
    if (conversation.status === 'queued') {
      client.frame({ t: 'queue', position: conversation.position, waitMinutes: conversation.waitMinutes });
      if (lastSeq === undefined) this.#scheduleQueue(conversation);
    }
    this.#publish(conversation);
  }

  #receive(conversation: Conversation, frame: Exclude<ClientFrame, { t: 'start' | 'resume' }>): void {
    switch (frame.t) {
      case 'message':
        return this.#userMessage(conversation, frame.id, frame.text);
      case 'file':
        return this.#userFile(conversation, frame.id, frame.name, frame.size);
      case 'typing':
        conversation.userTyping = frame.on;
        return this.#publish(conversation);
      case 'read':
        conversation.userRead = true;
        return this.#publish(conversation);
      case 'end':
        return this.#end(conversation, 'The user ended the chat.', false);
      case 'screenShare':
        if (conversation.screenShare === 'requested' || conversation.screenShare === 'accepted') {
          this.#screenShare(conversation, frame.answer, `Screen share: ${frame.answer}.`);
        }
        return;
    }
  }

  #screenShare(conversation: Conversation, state: NonNullable<ConversationSnapshot['screenShare']>, note: string): void {
    conversation.screenShare = state;
    conversation.transcript.push({ id: `${conversation.id}-share-${conversation.transcript.length}`, from: 'system', text: note, at: this.#scheduler.now() });
    this.#publish(conversation);
  }

  #userMessage(conversation: Conversation, id: string, text: string): void {
    const answered = conversation.seen.get(id);
    if (answered) return this.#send(conversation, answered);
    const command = COMMANDS.find((name) => name === text.trim().toLowerCase()) as Command | undefined;
    if (conversation.status === 'ended') return this.#answer(conversation, id, { t: 'nack', id, reason: 'This chat has ended.' });
    if (command === 'fail') {
      conversation.transcript.push({ id, from: 'user', text, at: this.#scheduler.now(), failed: true });
      return this.#answer(conversation, id, { t: 'nack', id, reason: 'The desk refused this message (simulated failure).' });
    }
    conversation.transcript.push({ id, from: 'user', text, at: this.#scheduler.now() });
    conversation.userTyping = false;
    this.#answer(conversation, id, { t: 'ack', id });
    if (!conversation.auto) return;
    if (conversation.status === 'queued') {
      if (command === 'queue') this.setQueue(conversation.id, 6);
      return;
    }
    if (conversation.status !== 'active' || !conversation.agent) return;
    this.#react(conversation, command, text);
  }

  #userFile(conversation: Conversation, id: string, name: string, size: number): void {
    const answered = conversation.seen.get(id);
    if (answered) return this.#send(conversation, answered);
    const max = this.#options.maxFileSizeBytes ?? 5 * 1024 * 1024;
    const reason = /reject|virus/i.test(name)
      ? 'The desk refused this file (simulated virus scan).'
      : size > max
        ? `The desk takes files up to ${Math.round(max / 1024)} KB.`
        : undefined;
    conversation.transcript.push({
      id,
      from: 'user',
      text: `Sent a file: ${name} (${Math.max(1, Math.round(size / 1024))} KB)`,
      at: this.#scheduler.now(),
      ...(reason ? { failed: true } : {}),
    });
    this.#answer(conversation, id, reason ? { t: 'fileNack', id, reason } : { t: 'fileAck', id });
    if (!reason && conversation.auto && conversation.status === 'active') {
      this.#reply(conversation, `Thanks, I received ${name}.`);
    }
  }

  #answer(conversation: Conversation, id: string, frame: DeskFrame): void {
    conversation.seen.set(id, frame);
    this.#send(conversation, frame);
    this.#publish(conversation);
  }

  // --- the scripted agent -----------------------------------------------------------------------------------

  #react(conversation: Conversation, command: Command | undefined, text: string): void {
    const t = this.#timing;
    switch (command) {
      case 'help':
        return this.#reply(conversation, HELP);
      case 'transfer': {
        const next = this.#pickNext(conversation);
        this.#reply(conversation, `I'm transferring you to ${next.nickname}, who can help with that.`, () =>
          this.#transfer(conversation, next),
        );
        return;
      }
      case 'queue':
        this.#reply(conversation, "Let me put you back in the queue for a specialist.", () => this.#requeue(conversation));
        return;
      case 'disconnect':
        this.#reply(conversation, "I'll simulate a dropped connection now. I'll be here when you're back.", () => {
          this.dropConnection(conversation.id);
          this.#later(conversation, t.outageMs / 2, () => this.#say(conversation, 'Still here! (I sent this while you were offline.)'));
        });
        return;
      case 'upload':
        this.#reply(conversation, 'Here is the claim form. You can send me a file too: files named "reject" are refused.', () =>
          this.#say(conversation, '', [
            { name: 'claim-form.pdf', url: `${this.#options.fileBaseUrl ?? 'https://files.example.invalid/'}claim-form.pdf`, mimeType: 'application/pdf', size: 48_213 },
          ]),
        );
        return;
      case 'options':
        this.#reply(conversation, 'Pick one:', () =>
          this.#say(conversation, '', undefined, [
            { kind: 'options', title: 'How can I help?', options: [{ label: 'Billing', value: 'billing' }, { label: 'A technical problem', value: 'technical' }] },
          ]),
        );
        return;
      case 'share':
        this.#reply(conversation, 'May I see your screen?', () => this.requestScreenShare(conversation.id));
        return;
      case 'end':
        this.#reply(conversation, "Thanks for chatting with us. I'm closing this chat now.", () =>
          this.#end(conversation, 'The agent ended the chat.'),
        );
        return;
      default: {
        const quoted = text.length > 80 ? `${text.slice(0, 77)}...` : text;
        this.#reply(conversation, `Thanks! You said "${quoted}". Type "help" to see what I can do.`);
      }
    }
  }

  /** Read (when answering the user), type, answer, then run `after`: one step of the scripted agent, queued behind the previous one. */
  #reply(conversation: Conversation, text: string, after?: () => void, read = true): void {
    const t = this.#timing;
    const now = this.#scheduler.now();
    const start = Math.max(now, conversation.busyUntil);
    conversation.busyUntil = start + t.typingStartMs + t.replyMs;
    const at = (time: number, action: () => void) => this.#later(conversation, time - now, action);
    if (read) at(start + t.readMs, () => this.#send(conversation, { t: 'read' }));
    at(start + t.typingStartMs, () => this.#typing(conversation, true));
    at(start + t.typingStartMs + t.replyMs, () => {
      this.#say(conversation, text);
      after?.();
    });
  }

  #pickNext(conversation: Conversation): SimAgent {
    const agent = this.#agents[conversation.nextAgent % this.#agents.length] as SimAgent;
    return agent.id === conversation.agent?.id ? (this.#agents[(conversation.nextAgent + 1) % this.#agents.length] as SimAgent) : agent;
  }

  #scheduleQueue(conversation: Conversation): void {
    if (!conversation.auto) return;
    this.#later(conversation, this.#timing.queueStepMs, () => {
      if (conversation.status !== 'queued' || !conversation.auto) return;
      if (conversation.position <= 1) {
        this.#join(conversation);
        return;
      }
      this.setQueue(conversation.id, conversation.position - 1);
      this.#scheduleQueue(conversation);
    });
  }

  #join(conversation: Conversation, agent = this.#pickNext(conversation)): void {
    conversation.nextAgent = (this.#agents.indexOf(agent) + 1) % this.#agents.length;
    conversation.agent = agent;
    conversation.status = 'active';
    conversation.position = 0;
    this.#record(conversation, { t: 'join', seq: 0, agent });
    conversation.transcript.push({ id: `${conversation.id}-join-${conversation.seq}`, from: 'system', text: `${agent.nickname} joined.`, at: this.#scheduler.now() });
    this.#publish(conversation);
    if (conversation.auto) {
      const greeting = conversation.transferred
        ? `Hi, ${agent.nickname} here. I've read the notes from your chat so far.`
        : `Hi, I'm ${agent.nickname}. I've read your conversation with the assistant. How can I help? (Type "help" to see what I can do.)`;
      this.#reply(conversation, greeting, undefined, false);
    }
  }

  #transfer(conversation: Conversation, to: SimAgent | undefined): void {
    const from = conversation.agent;
    if (!from) return;
    this.#typing(conversation, false);
    conversation.status = 'transferring';
    conversation.transferred = true;
    this.#record(conversation, to ? { t: 'transfer', seq: 0, agent: to } : { t: 'transfer', seq: 0 });
    this.#record(conversation, { t: 'leave', seq: 0, agentId: from.id });
    conversation.agent = undefined;
    conversation.transcript.push({ id: `${conversation.id}-transfer-${conversation.seq}`, from: 'system', text: `${from.nickname} transferred the chat${to ? ` to ${to.nickname}` : ''}.`, at: this.#scheduler.now() });
    this.#publish(conversation);
    if (to) this.#later(conversation, this.#timing.transferMs, () => this.#join(conversation, to));
  }

  #requeue(conversation: Conversation): void {
    this.#transfer(conversation, undefined);
    conversation.status = 'queued';
    this.setQueue(conversation.id, 3);
    this.#scheduleQueue(conversation);
  }

  #say(conversation: Conversation, text: string, attachments?: readonly SimAttachment[], content?: readonly SimContent[]): void {
    const agent = conversation.agent;
    if (!agent) return;
    this.#typing(conversation, false);
    const id = `${conversation.id}-m${conversation.seq + 1}`;
    const extra = { ...(attachments ? { attachments } : {}), ...(content?.length ? { content } : {}) };
    this.#record(conversation, { t: 'message', seq: 0, id, agentId: agent.id, text, ...extra });
    conversation.userRead = false;
    conversation.transcript.push({ id, from: 'agent', agentName: agent.nickname, text, at: this.#scheduler.now(), ...extra });
    this.#publish(conversation);
  }

  #typing(conversation: Conversation, on: boolean): void {
    if (conversation.agentTyping === on || !conversation.agent) return;
    conversation.agentTyping = on;
    this.#send(conversation, { t: 'typing', agentId: conversation.agent.id, on });
    this.#publish(conversation);
  }

  #end(conversation: Conversation, note: string, notifyClient = true): void {
    if (conversation.status === 'ended') return;
    this.#cancelTimers(conversation);
    this.#typing(conversation, false);
    conversation.status = 'ended';
    this.#openChats -= 1;
    conversation.transcript.push({ id: `${conversation.id}-end`, from: 'system', text: note, at: this.#scheduler.now() });
    if (notifyClient) this.#record(conversation, { t: 'ended', seq: 0 });
    else conversation.client?.close('chat ended');
    if (!notifyClient || !conversation.client) this.#setClient(conversation, undefined);
    this.#publish(conversation);
  }

  // --- plumbing ---------------------------------------------------------------------------------------------

  #record(conversation: Conversation, frame: HistoryFrame): void {
    const numbered = { ...frame, seq: ++conversation.seq } as HistoryFrame;
    conversation.history.push(numbered);
    this.#send(conversation, numbered);
  }

  #send(conversation: Conversation, frame: DeskFrame): void {
    conversation.client?.frame(frame);
  }

  #live(conversationId: string): Conversation | undefined {
    const conversation = this.#conversations.get(conversationId);
    return conversation && conversation.status !== 'ended' ? conversation : undefined;
  }

  #later(conversation: Conversation | undefined, delay: number, action: () => void): void {
    let subscription: Subscription | undefined = undefined;
    let done = false;
    subscription = this.#scheduler.schedule(() => {
      done = true;
      if (conversation && subscription) conversation.timers.delete(subscription);
      action();
    }, Math.max(0, delay));
    if (conversation && !done) conversation.timers.add(subscription);
  }

  #cancelTimers(conversation: Conversation): void {
    for (const timer of conversation.timers) timer.unsubscribe();
    conversation.timers.clear();
    conversation.busyUntil = 0;
  }

  #snapshot(conversation: Conversation): ConversationSnapshot {
    return { ...this.#state(conversation), transcript: [...conversation.transcript] };
  }

  #state(conversation: Conversation): Omit<ConversationSnapshot, 'transcript'> {
    return {
      id: conversation.id,
      status: conversation.status,
      position: conversation.position,
      waitMinutes: conversation.waitMinutes,
      ...(conversation.agent ? { agent: conversation.agent } : {}),
      auto: conversation.auto,
      connected: conversation.client !== undefined,
      userTyping: conversation.userTyping,
      agentTyping: conversation.agentTyping,
      userRead: conversation.userRead,
      ...(Object.keys(conversation.context).length ? { context: conversation.context } : {}),
      ...(conversation.screenShare ? { screenShare: conversation.screenShare } : {}),
    };
  }

  /** Tells listeners what changed: O(1) with nobody listening, O(lines added) otherwise. */
  #publish(conversation: Conversation): void {
    const from = conversation.published;
    conversation.published = conversation.transcript.length;
    if (this.#changes.observed) this.#changes.next({ ...this.#state(conversation), appended: conversation.transcript.slice(from) });
  }
}
