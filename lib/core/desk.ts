import { Subject, Subscription, asyncScheduler, catchError, connect, defer, firstValueFrom, of, timeout, type Observable, type SchedulerLike } from 'rxjs';
import { readChatContext } from '../host/context.js';
import { detectHost, dialectFor, type HostKind } from '../host/dialect.js';
import { ErrorType } from '../host/types.js';
import type {
  AdditionalDataToAgent,
  EndChatInfo,
  HostFileUpload,
  HostMessageRequest,
  HostMessageResponse,
  HostState,
  HostTransferInfo,
  ServiceDesk,
  ServiceDeskFactoryParameters,
  StartChatOptions,
} from '../host/types.js';
import type { ServiceDeskAdapter, SessionRequest } from './adapter.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './backoff.js';
import { createBinder, type Binder } from './bind.js';
import { ServiceDeskError } from './errors.js';
import type { Agent, DomainEvent, EventOf, ScreenShareAnswer } from './events.js';
import { DEFAULT_TEXTS, createHostMapper, type HostCall, type UserTexts } from './host-calls.js';
import { createLogger, type Logger } from './logger.js';
import { runSessionInto, type RunningSession, type SessionOptions } from './session.js';
import { mergeStreams, splitStreams, type DomainStreams } from './streams.js';

/** Options of {@link createServiceDesk}. Every timing is in milliseconds. */
export interface ServiceDeskOptions {
  /** The integration name the host reports (at most 40 characters). Default: the adapter's name. */
  name?: string;
  /**
   * Which host drives the desk. Default `'auto'`: Carbon AI Chat 1.x when the callback offers persisted state and the
   * instance has no `getWidgetVersion` (watsonx web chat and Carbon AI Chat 0.x have it).
   */
  host?: HostKind | 'auto';
  /** Default: errors only, to the console. */
  logger?: Logger;
  /** For tests: run every timer in virtual time. Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
  /** Connection retries. Default {@link DEFAULT_RETRY_POLICY}. */
  retry?: Partial<RetryPolicy>;
  /** Time allowed for one connection attempt. Default 15 000. */
  connectTimeoutMs?: number;
  /** Time allowed for the vendor to accept one message or file. Default 15 000. */
  sendTimeoutMs?: number;
  /** Further attempts for a message after a retryable failure. Default 3. */
  sendRetries?: number;
  /** Time allowed to leave politely when the user ends the chat. Default 3 000. */
  endTimeoutMs?: number;
  /**
   * Time allowed for `areAnyAgentsOnline` before it answers `null`. Default: one second less than the host waits
   * (`hostConfig.availabilityTimeoutSeconds`, else the hosts' default of 5 s, so 4 000), at least 500.
   */
  availabilityTimeoutMs?: number;
  /**
   * The `serviceDesk` section of the host's own config (Carbon AI Chat's `ServiceDeskPublicConfig`; neither host lets
   * a desk read it back), so that the library's timings fit the host's instead of undercutting them.
   */
  hostConfig?: HostServiceDeskConfig;
  /** The answer of `areAnyAgentsOnline` when the adapter cannot tell. Default `null` (unknown). */
  agentsOnlineWhenUnknown?: boolean | null;
  /** Minimum time between two typing updates to the vendor. Default 1 000. */
  typingThrottleMs?: number;
  /** Longest the user counts as typing without news from the host. Default 30 000. */
  maxTypingMs?: number;
  /** Minimum time between two read receipts to the vendor. Default 1 000. */
  readThrottleMs?: number;
  /**
   * When the agent's messages count as read (neither host calls `userReadMessages` by itself). Default: when the user
   * sends or starts typing, and when a message arrives while the chat has focus (`hasFocus`; in a browser: the page
   * is visible and focused). `false`: only when the app calls `userReadMessages()` (see `markReadOnFocus`).
   */
  readReceipts?: false | ReadReceiptPolicy;
  /** Texts the library shows the user. */
  texts?: Partial<UserTexts>;
  /**
   * How long the user has to answer an agent's screen-share request before the desk answers `timedOut` to the
   * adapter and closes the host's request (headless hosts never answer). Default 60 000.
   */
  screenShareTimeoutMs?: number;
  /**
   * Reshape the domain streams before they reach the host: filter or map `messages$`, add to `availability$`,
   * and return the streams to use (the ones you leave out stay as they were).
   */
  streams?: (streams: DomainStreams) => Partial<DomainStreams>;
  /** For tests: the random source of the backoff jitter. */
  random?: () => number;
}

/** When the agent's messages count as read (see `ServiceDeskOptions.readReceipts`). */
export interface ReadReceiptPolicy {
  /** When the user sends a message. Default true. */
  onSend?: boolean;
  /** When the user starts typing. Default true. */
  onTyping?: boolean;
  /** Whether the chat has the user's attention when an agent message arrives. Default: the browser page is visible and focused. */
  hasFocus?: () => boolean;
}

/** In a browser: the page is visible and has focus. Elsewhere: false. */
function pageHasFocus(): boolean {
  const page = (globalThis as { document?: { visibilityState?: string; hasFocus?: () => boolean } }).document;
  return page?.visibilityState === 'visible' && typeof page.hasFocus === 'function' && page.hasFocus();
}

/** The timings of the host's `serviceDesk` config that the library reads (see `ServiceDeskOptions.hostConfig`). */
export interface HostServiceDeskConfig {
  /** How long the host waits for `areAnyAgentsOnline` (default 5). */
  availabilityTimeoutSeconds?: number;
}

/** The hosts' own wait for `areAnyAgentsOnline` when their config does not set one (Carbon: AVAILABILITY_TIMEOUT_MS). */
const HOST_AVAILABILITY_SECONDS = 5;

/** Our availability timeout: a second less than the host's, so that our `null` arrives before the host gives up. */
function availabilityTimeout(options: ServiceDeskOptions): number {
  if (options.availabilityTimeoutMs !== undefined) return options.availabilityTimeoutMs;
  const seconds = options.hostConfig?.availabilityTimeoutSeconds;
  const hostMs = (typeof seconds === 'number' && seconds > 0 ? seconds : HOST_AVAILABILITY_SECONDS) * 1_000;
  return Math.max(500, hostMs - 1_000);
}

/** A desk built by this library: the host's `ServiceDesk`, and the domain streams of its chats. */
export interface RxServiceDesk extends ServiceDesk {
  /**
   * The domain streams of every chat this desk runs, as the host gets them (after `options.streams`): hot, so a
   * subscriber sees the events from when it subscribes, e.g. `availability$` for your own queue banner. They never
   * complete; unsubscribe when your UI goes.
   */
  readonly streams: DomainStreams;
}

interface Running {
  /** The user's screen-share answers, for the adapter. */
  readonly screenShare: Subject<ScreenShareAnswer>;
  /** The session's commands (set once it runs). */
  session?: RunningSession;
  readonly pending: Set<(error?: ServiceDeskError) => void>;
  readonly closed: Promise<void>;
  readonly binder: Binder;
  /** Stops at once: mutes the binder and unsubscribes the session. */
  close(): void;
  /** Marks the agent's messages read if one arrived since the last time (the read-receipt policy). */
  readNew(): void;
}

const BUILD_STREAMS = Symbol('buildStreams');

/**
 * The prototype of every desk: its `streams` getter, one function for all desks. V8 keeps an object with a getter of
 * its own (a closure per desk) in dictionary mode: 0.8 KB more per desk, and slower calls.
 */
const DESK_PROTOTYPE: object = Object.defineProperty({}, 'streams', {
  get(this: { [BUILD_STREAMS](): DomainStreams }) {
    return this[BUILD_STREAMS]();
  },
});

interface Persisted {
  resume?: unknown;
  agent?: Agent;
}

const CONNECT_TYPES = new Set(['connect_to_agent', 'connect_to_human_agent']);

function connectItem(message: HostMessageResponse | undefined) {
  return message?.output?.generic?.find((item) => CONNECT_TYPES.has(item.response_type));
}

function summaryOf(message: HostMessageResponse | undefined): { summary: string[]; transferInfo?: HostTransferInfo } {
  const item = connectItem(message);
  const transferInfo = item?.transfer_info;
  const lines = [item?.message_to_human_agent, ...(transferInfo?.summary_message_to_agent ?? []).map((entry) => entry.text)];
  const summary = [...new Set(lines.map((line) => (typeof line === 'string' ? line.trim() : '')).filter(Boolean))];
  return transferInfo ? { summary, transferInfo } : { summary };
}

/** The host's answer to `screenShareRequest` (Carbon AI Chat's `ScreenShareState`) as a {@link ScreenShareAnswer}. */
function screenShareAnswer(value: unknown): ScreenShareAnswer {
  return value === 'accepted' || value === 'declined' ? value : 'cancelled';
}

function readPersisted(state: unknown): Persisted {
  if (typeof state !== 'object' || state === null) return {};
  const { resume, agent } = state as Persisted;
  const validAgent = agent && typeof agent.id === 'string' && typeof agent.nickname === 'string' ? agent : undefined;
  return { resume, ...(validAgent ? { agent: validAgent } : {}) };
}

/**
 * Turns a vendor adapter into the `ServiceDesk` object a host's `serviceDeskFactory` returns, for watsonx Assistant
 * web chat 7.x and Carbon AI Chat 1.x alike. Each `startChat` opens one session (see `runSessionInto`); its events
 * reach the host through one binder, in order, each callback awaited.
 *
 * @example
 * import { createServiceDesk } from 'rx-service-desk';
 * import { simulatedDesk } from 'rx-service-desk/simulator';
 *
 * const config = {
 *   serviceDeskFactory: async (parameters) => createServiceDesk(simulatedDesk(), parameters),
 * };
 */
export function createServiceDesk(
  adapter: ServiceDeskAdapter,
  parameters: ServiceDeskFactoryParameters,
  options: ServiceDeskOptions = {},
): RxServiceDesk {
  const name = (options.name ?? adapter.name ?? '').trim();
  if (!name || name.length > 40) {
    throw new ServiceDeskError('CONFIG', `The desk name must be 1 to 40 characters (got "${name}"): set options.name.`);
  }
  if (!parameters?.callback) {
    throw new ServiceDeskError('CONFIG', 'No host callback: pass the parameters the host gives serviceDeskFactory.');
  }
  const { callback } = parameters;
  const logger = options.logger ?? createLogger();
  const scheduler = options.scheduler ?? asyncScheduler;
  const dialect = dialectFor(!options.host || options.host === 'auto' ? detectHost(callback, parameters.instance) : options.host, callback);
  const texts: UserTexts = { ...DEFAULT_TEXTS, ...options.texts };
  const sessionOptions: SessionOptions = {
    retry: { ...DEFAULT_RETRY_POLICY, ...options.retry },
    connectTimeoutMs: options.connectTimeoutMs ?? 15_000,
    sendTimeoutMs: options.sendTimeoutMs ?? 15_000,
    sendRetries: options.sendRetries ?? 3,
    endTimeoutMs: options.endTimeoutMs ?? 3_000,
    typingThrottleMs: options.typingThrottleMs ?? 1_000,
    maxTypingMs: options.maxTypingMs ?? 30_000,
    readThrottleMs: options.readThrottleMs ?? 1_000,
    random: options.random ?? Math.random,
  };
  const reads = options.readReceipts === false ? undefined : { onSend: true, onTyping: true, hasFocus: pageHasFocus, ...options.readReceipts };
  let hostState: HostState = {};
  let running: Running | undefined;
  let saved = readPersisted(parameters.persistedState);
  let everStarted = false;
  /** The events behind `desk.streams`, made when they are first read. */
  let events: Subject<DomainEvent> | undefined;

  const stop = (current: Running) => {
    if (running === current) running = undefined;
    const reason = new ServiceDeskError('NOT_CONNECTED', 'The chat ended before the message was sent.');
    for (const settle of [...current.pending]) settle(reason);
  };

  const open = (
    request: Omit<SessionRequest, 'logger' | 'scheduler' | 'hostState'>,
    start: { agent?: Agent },
  ): Promise<void> => {
    everStarted = true;
    if (running) {
      logger.warn('startChat while a chat is running: ending that chat first');
      running.close();
    }
    let connected = false;
    let resolveStart!: () => void;
    let rejectStart!: (error: Error) => void;
    const started = new Promise<void>((resolve, reject) => {
      resolveStart = resolve;
      rejectStart = reject;
    });
    let closeRun!: () => void;
    const closed = new Promise<void>((resolve) => (closeRun = resolve));
    const binder = createBinder(callback, {
      logger,
      onComplete: () => {
        shareDeadlines?.unsubscribe();
        screenShare.complete();
        stop(current);
        closeRun();
        // Ended before it connected (the user gave up while connecting): nothing failed.
        resolveStart();
      },
    });
    let stopSession = () => current.session?.stop();
    const screenShare = new Subject<ScreenShareAnswer>();
    let unread = false;
    // Deadlines of screen-share requests still open: cancelled when the chat ends.
    let shareDeadlines: Subscription | undefined;
    const current: Running = {
      screenShare,
      pending: new Set(),
      closed,
      binder,
      close: () => {
        binder.mute();
        stopSession();
        binder.complete();
      },
      readNew: () => {
        if (!unread) return;
        unread = false;
        current.session?.read();
      },
    };
    running = current;

    // The hot path: each event goes to the host mapper and the binder as plain calls.
    const mapper = createHostMapper(dialect, texts, binder);
    const push = (call: HostCall) => (call.method === 'screenShareRequest' ? askScreenShare(call) : binder.push(call));
    // The host's answer to a screen-share request, bounded: a host that never answers gets its request closed.
    const askScreenShare = (request: HostCall) => {
      let answered = false;
      const answer = (value: ScreenShareAnswer) => {
        if (answered) return;
        answered = true;
        deadline.unsubscribe();
        screenShare.next(value);
      };
      const deadline = scheduler.schedule(() => {
        answer('timedOut');
        binder.push({ method: 'screenShareEnded', args: [] });
      }, options.screenShareTimeoutMs ?? 60_000);
      (shareDeadlines ??= new Subscription()).add(deadline);
      binder.push({ ...request, settled: (outcome) => answer(outcome.missing ? 'unsupported' : screenShareAnswer(outcome.value)) });
    };
    // `type` read once, by the session (see NormalizedEmit).
    const toHost = (event: DomainEvent, type = event.type) => {
      if (type === 'connected') {
        connected = true;
        resolveStart();
      } else if (type === 'sessionFailed' && !connected) rejectStart((event as EventOf<'sessionFailed'>).error);
      mapper(event, push, type);
      // `desk.streams` unread (most hosts): a Subject without observers would still copy its observer list per event.
      if (events?.observed) events.next(event);
      if (type === 'agentMessage') {
        unread = true;
        if (reads?.hasFocus()) current.readNew();
      }
    };
    const fullRequest: SessionRequest = { ...request, logger, scheduler, hostState: () => hostState, screenShare$: screenShare.asObservable() };
    // The desk's one subscriber: the session, whose events reach the host through the binder.
    if (options.streams) {
      const input = new Subject<DomainEvent>();
      const reshaped = reshape(input, options.streams).subscribe({
        next: toHost,
        error: (error: unknown) => {
          logger.error('the session failed unexpectedly', { error });
          current.session?.stop();
          binder.complete();
        },
        complete: () => binder.complete(),
      });
      stopSession = () => {
        current.session?.stop();
        reshaped.unsubscribe();
      };
      current.session = runSessionInto(adapter, fullRequest, sessionOptions, start, (event) => input.next(event), () => input.complete());
    } else {
      current.session = runSessionInto(adapter, fullRequest, sessionOptions, start, toHost, () => binder.complete());
    }
    return started;
  };

  // The host sent a message to an agent although this desk never ran a chat (the host lost track, e.g. a reload it
  // could not resume): mark the message failed where the host can, say why, and hand the user back to the assistant.
  // After a chat of this desk ended the host already knows (it ended it, or was told), so nothing more is said.
  const tellNoChat = (messageID: string) => {
    const binder = createBinder(callback, { logger });
    if (dialect.userMessageErrors) {
      binder.push({ method: 'setErrorStatus', args: [{ type: ErrorType.USER_MESSAGE, messageID, logInfo: 'No chat with an agent is running.' }] });
    }
    binder.push({ method: 'sendMessageToUser', args: [dialect.notice(`rx-service-desk-no-chat-${messageID}`, texts.noChatRunning)] });
    binder.push({ method: 'agentEndedChat', args: [] });
    binder.complete();
  };

  const methods: Omit<RxServiceDesk, 'streams'> = {
    getName: () => name,

    startChat(connectMessage: HostMessageResponse, startChatOptions: StartChatOptions = {}) {
      const startPayload = startChatOptions.preStartChatPayload ?? startChatOptions.agentAppInfo;
      const { summary, transferInfo } = summaryOf(connectMessage);
      const context = readChatContext({ ...(transferInfo ? { transferInfo } : {}), startPayload, hostState }, logger);
      return open({ connectMessage, summary, ...(transferInfo ? { transferInfo } : {}), ...(startPayload !== undefined ? { startPayload } : {}), context }, {});
    },

    async endChat(_info?: EndChatInfo) {
      const current = running;
      if (!current) return;
      stop(current);
      current.binder.mute();
      // The session leaves the vendor (bounded by endTimeoutMs) and completes, which closes the binding.
      current.session?.end();
      await current.closed;
    },

    sendMessageToAgent(message: HostMessageRequest, messageID: string, additionalData?: AdditionalDataToAgent) {
      const current = running;
      if (!current) {
        if (!everStarted) tellNoChat(messageID);
        return Promise.reject(new ServiceDeskError('NOT_CONNECTED', 'No chat with an agent is running: call startChat first.'));
      }
      return new Promise<void>((resolve, reject) => {
        const settle = (error?: ServiceDeskError) => {
          current.pending.delete(settle);
          if (error) reject(error);
          else resolve();
        };
        current.pending.add(settle);
        if (reads?.onSend) current.readNew();
        current.session?.send({
          id: messageID,
          text: message?.input?.text?.trim() ? message.input.text : '',
          files: additionalData?.filesToUpload ?? [],
          settle,
        });
      });
    },

    async userTyping(isTyping: boolean) {
      if (isTyping && reads?.onTyping) running?.readNew();
      running?.session?.typing(isTyping);
    },

    async userReadMessages() {
      running?.session?.read();
    },

    async screenShareStop() {
      running?.screenShare.next('stopped');
    },

    areAnyAgentsOnline(connectMessage: HostMessageResponse) {
      const fallback = options.agentsOnlineWhenUnknown ?? null;
      if (!adapter.checkAvailability) return Promise.resolve(fallback);
      const { transferInfo } = summaryOf(connectMessage);
      const check = () => adapter.checkAvailability!({ connectMessage, ...(transferInfo ? { transferInfo } : {}), logger });
      return firstValueFrom(
        defer(check).pipe(
          timeout({ first: availabilityTimeout(options), scheduler }),
          catchError((error: unknown) => {
            logger.warn(`${name}: availability check failed`, { error });
            return of(fallback);
          }),
        ),
      ).then((answer) => (answer === true || answer === false ? answer : fallback));
    },

    filesSelectedForUpload(uploads: HostFileUpload[]) {
      running?.session?.filesSelected(uploads);
    },

    updateState(state: HostState) {
      hostState = { ...hostState, ...state };
    },
  };
  // Built on first read: a desk whose streams nobody reads does not hold them (7 KB of heap per desk).
  let streams: DomainStreams | undefined;
  const desk = Object.assign(Object.create(DESK_PROTOTYPE) as RxServiceDesk, methods, {
    [BUILD_STREAMS]: () => (streams ??= splitStreams((events ??= new Subject()).asObservable())),
  });
  if (!adapter.canResume) return desk;

  // Only a desk that can resume offers `reconnect`: without it Carbon AI Chat warns that a reload ends the chat.
  const reconnect = async () => {
    const { resume, agent } = saved;
    saved = {};
    if (resume === undefined) return false;
    if (adapter.acceptsResume?.(resume) === false) {
      logger.warn(`${name}: the saved chat state is not usable; not resuming`);
      return false;
    }
    try {
      await open({ summary: [], resume, context: { attributes: {} }, ...(agent ? { agent } : {}) }, agent ? { agent } : {});
      return true;
    } catch (error) {
      logger.warn(`${name}: could not resume the chat`, { error });
      return false;
    }
  };
  return Object.assign(desk, { reconnect });
}

/** Splits the session into domain streams, lets the user reshape them, and merges them back, in order. */
function reshape(events$: Observable<DomainEvent>, transform: (streams: DomainStreams) => Partial<DomainStreams>) {
  return events$.pipe(
    connect((shared$) => {
      const streams = splitStreams(shared$);
      return mergeStreams({ ...streams, ...transform(streams) });
    }),
  );
}

/**
 * A `serviceDeskFactory` for the host's config: a new adapter and desk for each chat widget.
 *
 * @example
 * import { serviceDeskFactory } from 'rx-service-desk';
 * import { simulatedDesk } from 'rx-service-desk/simulator';
 *
 * const config = { serviceDeskFactory: serviceDeskFactory(() => simulatedDesk()) };
 */
export function serviceDeskFactory(
  createAdapter: () => ServiceDeskAdapter,
  options: ServiceDeskOptions = {},
): (parameters: ServiceDeskFactoryParameters) => Promise<RxServiceDesk> {
  return async (parameters) => createServiceDesk(createAdapter(), parameters, options);
}
