import {
  EMPTY,
  ReplaySubject,
  Subject,
  catchError,
  defaultIfEmpty,
  defer,
  exhaustMap,
  expand,
  filter,
  finalize,
  ignoreElements,
  map,
  merge,
  mergeMap,
  of,
  retry,
  switchMap,
  take,
  takeWhile,
  throwError,
  timeout,
  timer,
  toArray,
  Observable,
  type Subscriber,
} from 'rxjs';
import type { AdapterSession, ServiceDeskAdapter, SessionRequest } from '../adapter.js';
import { DEFAULT_RETRY_POLICY, backoffDelay } from '../backoff.js';
import { ServiceDeskError, isRetryable } from '../errors.js';
import { fileContent } from '../files.js';
import type { Agent, Attachment, DomainEvent } from '../events.js';
import { consume, deliverable } from '../operators.js';
import { inOrderInto, type StepEffects } from './ordered.js';
import type {
  AdapterEvent,
  AdapterPort,
  AgentRef,
  AvailabilityStatus,
  CommonAdapterOptions,
  HistoryPage,
  PortSession,
  ShownMessage,
} from './port.js';
import { SAVED_CHAT_VERSION, readSavedChat, type SavedChat } from './resume.js';
import { createSeenIds } from './seen.js';

/** How many agent message ids (and host message ids) a chat remembers to drop duplicates: the newest 5,000 to 10,000. */
export const ENGINE_SEEN_LIMIT = 10_000;

/** Shown instead of an agent's media that could not be loaded (when the message has no text of its own). */
export const MEDIA_NOT_LOADED = 'The agent sent a file that could not be loaded.';

/** Token requests further apart than this are independent (a token expiring every hour is not a denial loop). */
const TOKEN_WINDOW_MS = 60_000;

/** The engine's settings, with their defaults. */
interface Settings {
  readonly name: string;
  readonly queuePollMs: number;
  readonly endAction: 'leave' | 'close';
  readonly transferGraceMs: number;
  readonly endWhenAgentLeaves: boolean;
  readonly historyPageSize: number;
  readonly historyMaxPages: number;
  readonly historyTimeoutMs: number;
  readonly profileTimeoutMs: number;
  readonly mediaTimeoutMs: number;
  readonly tokenTimeoutMs: number;
  readonly tokenRetries: number;
  readonly agentFallbackName: string;
}

function settingsOf<Session>(port: AdapterPort<Session>, options: CommonAdapterOptions<Session>): Settings {
  return {
    name: options.name ?? port.name,
    queuePollMs: options.queuePollMs ?? 15_000,
    endAction: options.endAction ?? 'leave',
    transferGraceMs: options.transferGraceMs ?? 0,
    endWhenAgentLeaves: options.endWhenAgentLeaves ?? false,
    historyPageSize: options.historyPageSize ?? 30,
    historyMaxPages: options.historyMaxPages ?? 10,
    historyTimeoutMs: options.historyTimeoutMs ?? 10_000,
    profileTimeoutMs: options.profileTimeoutMs ?? 3_000,
    mediaTimeoutMs: options.mediaTimeoutMs ?? 10_000,
    tokenTimeoutMs: options.tokenTimeoutMs ?? 10_000,
    tokenRetries: options.tokenRetries ?? 2,
    agentFallbackName: options.agentFallbackName ?? 'Agent',
  };
}

/** Inputs of a chat's step: the port's events, and the engine's own timers. */
type EngineInput<Session> = AdapterEvent<Session> | { readonly type: 'graceExpired' };

const GRACE_EXPIRED = { type: 'graceExpired' } as const;

/**
 * Builds a vendor adapter from a port: the engine adds, once for every vendor, saved/resume state (versioned and
 * validated), gap fill after a reconnect, exactly-once sends keyed by the host message id, one bounded dedupe,
 * join vs transfer with a grace window, joins for agents who speak before they join, agent profile lookup, queue
 * polling, token refresh, and `persist` only on change. The result is a `ServiceDeskAdapter` for
 * `createServiceDesk`. See docs/writing-an-adapter.md.
 *
 * @example
 * import { createAdapter, createServiceDesk } from 'rx-service-desk';
 * const adapter = createAdapter(acmePort(api), { transferGraceMs: 10_000 }); // see docs/examples/acme-desk.ts
 * const desk = createServiceDesk(adapter, parameters);
 */
export function createAdapter<Session>(port: AdapterPort<Session>, options: CommonAdapterOptions<Session> = {}): ServiceDeskAdapter {
  const settings = settingsOf(port, options);
  const readSession = port.readSession ? (saved: unknown) => port.readSession!(saved) : undefined;
  const check = options.checkAvailability;
  const adapter: ServiceDeskAdapter = {
    name: settings.name,
    capabilities: { ...port.capabilities, ...options.capabilities },
    ...(options.typingIntervalMs ? { typingHeartbeatMs: options.typingIntervalMs } : {}),
    canResume: readSession !== undefined,
    dedupesMessages: true,
    acceptsResume: (state) => readSession !== undefined && readSavedChat(state, readSession) !== undefined,
    open: (request) => openChat(port, options, settings, readSession, request),
  };
  if (check) {
    adapter.checkAvailability = () => Promise.resolve(check({ phase: 'beforeChat' })).then((answer) => (typeof answer?.online === 'boolean' ? answer.online : null));
  }
  return adapter;
}

function queueUpdateOf(status: AvailabilityStatus | null | undefined): DomainEvent | undefined {
  if (!status) return undefined;
  const position = typeof status.position === 'number' ? status.position : undefined;
  const waitMinutes = typeof status.waitMinutes === 'number' ? status.waitMinutes : undefined;
  const message = typeof status.message === 'string' ? status.message : undefined;
  if (position === undefined && waitMinutes === undefined && message === undefined) return undefined;
  return {
    type: 'queueUpdate',
    ...(position !== undefined ? { position } : {}),
    ...(waitMinutes !== undefined ? { waitMinutes } : {}),
    ...(message !== undefined ? { message } : {}),
  };
}

/** What the engine takes from a history page. */
type HistoryInput = Extract<AdapterEvent, { type: 'agentMessage' | 'userMessageSeen' }>;

/**
 * The agent messages of history pages (newest page first, each oldest first) after the last one shown, and every
 * `userMessageSeen`; `covered` tells whether the pages reached the last one shown.
 */
function missedSince(pages: readonly HistoryPage[], last: ShownMessage | undefined): { inputs: HistoryInput[]; covered: boolean } {
  const events = pages
    .slice()
    .reverse()
    .flatMap((page) => page.events);
  let cut = -1;
  if (last) {
    for (let i = events.length - 1; i >= 0; i -= 1) {
      const event = events[i]!;
      if (event.type === 'agentMessage' && (event.id === last.id || (last.index !== undefined && event.index !== undefined && event.index <= last.index))) {
        cut = i;
        break;
      }
    }
  }
  const inputs = events.filter(
    (event, i): event is HistoryInput =>
      event.type === 'userMessageSeen' ||
      (event.type === 'agentMessage' && i > cut && !(last?.index !== undefined && event.index !== undefined && event.index <= last.index)),
  );
  return { inputs, covered: last === undefined || cut >= 0 };
}

function openChat<Session>(
  port: AdapterPort<Session>,
  options: CommonAdapterOptions<Session>,
  settings: Settings,
  readSession: ((saved: unknown) => Session | undefined) | undefined,
  request: SessionRequest,
): AdapterSession {
  const { scheduler, logger } = request;
  const { name } = settings;
  const ownCapabilities = options.capabilities;
  let saved: SavedChat<Session> | undefined;
  if (request.resume !== undefined) {
    saved = readSession && readSavedChat(request.resume, readSession);
    if (!saved) throw new ServiceDeskError('CONFIG', `The saved ${name} chat state is not usable: start a new chat.`);
  }
  const chat: PortSession<Session> = port.open({
    summary: request.summary,
    ...(request.connectMessage ? { connectMessage: request.connectMessage } : {}),
    ...(request.transferInfo ? { transferInfo: request.transferInfo } : {}),
    ...(request.startPayload !== undefined ? { startPayload: request.startPayload } : {}),
    ...(request.context ? { context: request.context } : {}),
    ...(request.screenShare$ ? { screenShare$: request.screenShare$ } : {}),
    ...(saved ? { resume: saved.session } : {}),
    hostState: request.hostState,
    logger,
    scheduler,
  });

  // --- the chat's state: plain variables, changed only by the step below -----------------------------------------
  let session = saved?.session;
  let sessionJson = saved ? JSON.stringify(saved.session) : undefined;
  // The last agent message shown, as two variables (set on every message: no object per message); `shownLast()`
  // builds the ShownMessage when it is read.
  let lastId = saved?.last?.id;
  let lastIndex = saved?.last?.index;
  const shownLast = (): ShownMessage | undefined =>
    lastId === undefined ? undefined : lastIndex === undefined ? { id: lastId } : { id: lastId, index: lastIndex };
  let unsaved = false;
  const seen = createSeenIds(ENGINE_SEEN_LIMIT);
  const delivered = createSeenIds(ENGINE_SEEN_LIMIT);
  /** Host ids of sends whose answer was lost: they may have reached the vendor. */
  const unsure = new Set<string>();
  const profiles = new Map<string, Agent>();
  const present = new Set<string>();
  let current: string | undefined;
  if (request.agent) {
    present.add(request.agent.id);
    profiles.set(request.agent.id, request.agent);
    current = request.agent.id;
  }
  let everJoined = present.size > 0;
  let transferring = false;
  let leftAt: number | undefined;
  let ended = false;
  let connections = 0;
  let tokenRequests = 0;
  let lastTokenRequestAt = -Infinity;

  const agentOf = (ref: AgentRef, profile?: Omit<AgentRef, 'id'>): Agent => {
    const nickname = profile?.nickname || ref.nickname || settings.agentFallbackName;
    const avatarUrl = profile?.avatarUrl ?? ref.avatarUrl;
    return avatarUrl ? { id: ref.id, nickname, avatarUrl } : { id: ref.id, nickname };
  };

  type Fx = StepEffects<EngineInput<Session>, DomainEvent>;

  const persist = (fx: Fx) => {
    if (!unsaved || !readSession || session === undefined) return;
    unsaved = false;
    const last = shownLast();
    const state: SavedChat<Session> = last ? { v: SAVED_CHAT_VERSION, session, last } : { v: SAVED_CHAT_VERSION, session };
    fx.emit({ type: 'persist', state });
  };

  /** Agents whose join was made from a message that did not name them: their own join event, if it comes, will. */
  const awaitedJoins = new Map<string, ReplaySubject<AgentRef>>();

  /**
   * Shows an agent's join with their profile: known, looked up (`lookupAgent`), or, for a join made from a message
   * that did not name the agent, taken from their own join event when it follows; each bounded by
   * `profileTimeoutMs`, after which the join shows what is known. The events after it wait.
   */
  const announce = (ref: AgentRef, fx: Fx, messageId?: string) => {
    const known = profiles.get(ref.id);
    if (known) {
      fx.emit({ type: 'agentJoined', agent: known });
      return;
    }
    const fallback = agentOf(ref);
    const lookup = chat.lookupAgent;
    const awaitJoin = messageId !== undefined && !ref.nickname;
    if (!lookup && !awaitJoin) {
      profiles.set(ref.id, fallback);
      fx.emit({ type: 'agentJoined', agent: fallback });
      return;
    }
    let joined: ReplaySubject<AgentRef> | undefined;
    if (awaitJoin) {
      joined = new ReplaySubject<AgentRef>(1);
      awaitedJoins.set(ref.id, joined);
    }
    fx.later(
      merge<(Omit<AgentRef, 'id'> | undefined)[]>(
        lookup ? defer(() => lookup.call(chat, ref, messageId !== undefined ? { messageId } : {})) : EMPTY,
        joined ?? EMPTY,
      ).pipe(
        filter((profile): profile is Omit<AgentRef, 'id'> => profile !== undefined),
        take(1),
        timeout({ first: settings.profileTimeoutMs, scheduler }),
        map((profile) => {
          const agent = agentOf(ref, profile);
          profiles.set(ref.id, agent);
          return agent;
        }),
        defaultIfEmpty(fallback),
        catchError((error: unknown) => {
          logger.warn(`${name}: agent profile not known in time; showing what is known`, { agentId: ref.id, error });
          return of(fallback);
        }),
        finalize(() => {
          if (awaitedJoins.get(ref.id) === joined) awaitedJoins.delete(ref.id);
        }),
        map((agent): DomainEvent => ({ type: 'agentJoined', agent })),
      ),
    );
  };

  const join = (ref: AgentRef, fx: Fx, messageId?: string) => {
    if (present.has(ref.id)) {
      awaitedJoins.get(ref.id)?.next(ref);
      return;
    }
    present.add(ref.id);
    if (leftAt !== undefined) {
      leftAt = undefined;
      fx.disarm('grace');
      // The same agent is back within the grace window: nothing to show.
      if (ref.id === current) return;
    }
    current = ref.id;
    everJoined = true;
    transferring = false;
    announce(ref, fx, messageId);
  };

  const end = (reason: string, fx: Fx) => {
    ended = true;
    leftAt = undefined;
    fx.disarm('grace');
    fx.disarm('typing');
    fx.emit({ type: 'chatEnded', reason });
  };

  const gone = (agentId: string | undefined, fx: Fx) => {
    if (settings.endWhenAgentLeaves) end('The agent left the chat.', fx);
    else fx.emit(agentId === undefined ? { type: 'agentLeft' } : { type: 'agentLeft', agentId });
  };

  const leave = (agentId: string | undefined, fx: Fx) => {
    const id = agentId ?? current;
    if (id === undefined || !present.delete(id)) return;
    if (present.size > 0) {
      if (id !== current) return;
      const next = present.values().next().value as string;
      current = next;
      announce(profiles.get(next) ?? { id: next }, fx);
      return;
    }
    if (transferring) {
      // The session hides the leave of the agent handing over.
      fx.emit({ type: 'agentLeft', agentId: id });
      return;
    }
    if (settings.transferGraceMs > 0) {
      leftAt = scheduler.now();
      fx.arm('grace', settings.transferGraceMs, GRACE_EXPIRED);
      return;
    }
    gone(id, fx);
  };

  const message = (event: Extract<AdapterEvent, { type: 'agentMessage' }>, fx: Fx) => {
    if (!event.text && !event.attachments?.length && !event.content?.length && !event.loadAttachments) return;
    if (!seen.add(event.id, event.index)) return;
    if (lastId === undefined || event.index === undefined || lastIndex === undefined || event.index > lastIndex) {
      lastId = event.id;
      lastIndex = event.index;
      unsaved = true;
    }
    const { agentId } = event;
    if (agentId && !present.has(agentId)) join({ ...event.sender, id: agentId }, fx, event.id);
    fx.disarm('typing');
    const { loadAttachments } = event;
    if (loadAttachments) {
      // Loaded media is typed rich content: images as images, other files as file cards (issue 12 item 2).
      const shown = (files: readonly Attachment[]): DomainEvent => {
        const content = [...files.map(fileContent), ...(event.content ?? [])];
        return {
          type: 'agentMessage',
          id: event.id,
          text: event.text || (content.length ? '' : MEDIA_NOT_LOADED),
          ...(agentId !== undefined ? { agentId } : {}),
          ...(content.length ? { content } : {}),
        };
      };
      fx.later(
        defer(loadAttachments).pipe(
          take(1),
          timeout({ first: settings.mediaTimeoutMs, scheduler }),
          defaultIfEmpty([]),
          catchError((error: unknown) => {
            logger.warn(`${name}: the media of an agent message could not be loaded`, { messageId: event.id, error });
            return of([]);
          }),
          map(shown),
        ),
      );
    } else {
      // Built without spreads: a spread of `{ agentId }` allocates an object of its own, on every message.
      const { attachments, content } = event;
      fx.emit(
        event.sender === undefined && event.index === undefined
          ? event
          : content
            ? // Rich content is rare: the spreads stay off the hot path below.
              { type: 'agentMessage', id: event.id, text: event.text, content, ...(agentId !== undefined ? { agentId } : {}), ...(attachments ? { attachments } : {}) }
            : agentId === undefined
              ? attachments
                ? { type: 'agentMessage', id: event.id, text: event.text, attachments }
                : { type: 'agentMessage', id: event.id, text: event.text }
              : attachments
                ? { type: 'agentMessage', id: event.id, text: event.text, agentId, attachments }
                : { type: 'agentMessage', id: event.id, text: event.text, agentId },
      );
    }
    persist(fx);
  };

  // --- gap fill: history read back to the last agent message shown --------------------------------------------
  const readHistory = chat.readHistory;
  const page = (before?: unknown) =>
    defer(() => readHistory!.call(chat, before === undefined ? { pageSize: settings.historyPageSize } : { before, pageSize: settings.historyPageSize })).pipe(
      take(1),
    );
  const gapFill = (): Observable<readonly EngineInput<Session>[]> => {
    const from = shownLast();
    const reaches = (read: HistoryPage) => missedSince([read], from).covered;
    return page().pipe(
      expand((read) => (reaches(read) || read.before === undefined ? EMPTY : page(read.before))),
      take(settings.historyMaxPages),
      toArray(),
      timeout({ first: settings.historyTimeoutMs, scheduler }),
      map((pages) => {
        const { inputs, covered } = missedSince(pages, from);
        if (!covered && pages.length >= settings.historyMaxPages) {
          logger.warn(`${name}: the gap after the reconnect is longer than the history read; older missed messages are not shown`, {
            pagesRead: pages.length,
            pageSize: settings.historyPageSize,
          });
        }
        return inputs;
      }),
      catchError((error: unknown) => {
        logger.warn(`${name}: could not read the messages missed while disconnected; going on without them`, { error });
        return EMPTY;
      }),
    );
  };

  // --- one connection attempt -------------------------------------------------------------------------------------
  // The events go to the session's function directly when it takes them so (`consumeInto`), else through `events$`.
  const eventsInto = (deliver: (event: DomainEvent) => void) => defer(() => {
    const check = options.checkAvailability;
    const refreshToken = chat.refreshToken;
    // Made only for a chat that polls the queue or refreshes its token: most hold neither.
    const connected$ = check && settings.queuePollMs > 0 ? new Subject<void>() : undefined;
    const tokenAsked$ = refreshToken ? new Subject<void>() : undefined;
    const waiting = () => !everJoined && !ended;
    const poll$: Observable<DomainEvent> =
      check && connected$
        ? connected$.pipe(
            switchMap(() =>
              timer(0, settings.queuePollMs, scheduler).pipe(
                takeWhile(waiting),
                exhaustMap(() =>
                  defer(() => check(session === undefined ? { phase: 'queued' } : { phase: 'queued', session })).pipe(
                    timeout({ first: settings.queuePollMs, scheduler }),
                    catchError((error: unknown) => {
                      logger.debug(`${name}: queue figures not available`, { error });
                      return EMPTY;
                    }),
                  ),
                ),
                filter(waiting),
                mergeMap((status) => {
                  const update = queueUpdateOf(status);
                  return update ? of(update) : EMPTY;
                }),
              ),
            ),
          )
        : EMPTY;
    const token$: Observable<never> = refreshToken && tokenAsked$
      ? tokenAsked$.pipe(
          exhaustMap(() =>
            defer(() => refreshToken.call(chat)).pipe(
              take(1),
              defaultIfEmpty(undefined),
              timeout({
                first: settings.tokenTimeoutMs,
                scheduler,
                with: () => throwError(() => new ServiceDeskError('AUTH_FAILED', `The token refresh did not answer within ${settings.tokenTimeoutMs} ms.`, { retryable: true })),
              }),
              retry({
                delay: (error: unknown, attempt: number) =>
                  isRetryable(error) && attempt <= settings.tokenRetries
                    ? timer(backoffDelay(attempt, DEFAULT_RETRY_POLICY, () => 0), scheduler)
                    : throwError(() => error),
              }),
              catchError((error: unknown) =>
                throwError(
                  () =>
                    new ServiceDeskError('AUTH_FAILED', `Could not get a fresh ${name} token: check the token endpoint and that the user is still signed in.`, {
                      cause: error,
                      retryable: false,
                    }),
                ),
              ),
            ),
          ),
          ignoreElements(),
        )
      : EMPTY;

    const steps$ = inOrderInto<EngineInput<Session>, DomainEvent>(
      chat.connect(session),
      (fx) => {
        // A grace window that was running when the last connection dropped goes on.
        if (leftAt !== undefined && present.size === 0 && !ended) fx.arm('grace', Math.max(0, leftAt + settings.transferGraceMs - scheduler.now()), GRACE_EXPIRED);
        return (input) => {
          if (ended) return;
          switch (input.type) {
            // The hot cases first: agent messages and typing are most of the traffic.
            case 'agentMessage':
              message(input, fx);
              return;
            case 'agentTyping':
              if (input.isTyping && input.forMs) {
                fx.arm('typing', input.forMs, input.agentId === undefined ? { type: 'agentTyping', isTyping: false } : { type: 'agentTyping', isTyping: false, agentId: input.agentId });
              } else fx.disarm('typing');
              fx.emit(input.forMs === undefined ? input : input.agentId === undefined ? { type: 'agentTyping', isTyping: input.isTyping } : { type: 'agentTyping', isTyping: input.isTyping, agentId: input.agentId });
              return;
            case 'userMessageSeen':
              delivered.add(input.messageId);
              return;
            case 'agentJoined':
              join(input.agent, fx);
              return;
            case 'agentsPresent': {
              const ids = new Set(input.agents.map((agent) => agent.id));
              for (const agent of input.agents) join(agent, fx);
              for (const id of [...present]) if (!ids.has(id)) leave(id, fx);
              return;
            }
            case 'agentLeft':
              leave(input.agentId, fx);
              return;
            case 'transferStarted':
              if (everJoined) transferring = true;
              fx.emit(input.agent ? { type: 'transferStarted', agent: profiles.get(input.agent.id) ?? agentOf(input.agent) } : { type: 'transferStarted' });
              return;
            case 'graceExpired':
              if (leftAt === undefined || present.size > 0) return;
              leftAt = undefined;
              gone(current, fx);
              return;
            case 'chatEnded':
              end(input.reason ?? 'The agent ended the chat.', fx);
              return;
            case 'connected':
              connections += 1;
              tokenRequests = 0;
              fx.emit(input);
              persist(fx);
              if (readHistory && (connections > 1 || saved)) fx.hold(gapFill());
              connected$?.next();
              return;
            case 'connectionRestored':
              tokenRequests = 0;
              fx.emit(input);
              if (readHistory) fx.hold(gapFill());
              return;
            case 'sessionState': {
              const json = JSON.stringify(input.state);
              if (json === sessionJson) return;
              session = input.state;
              sessionJson = json;
              unsaved = true;
              persist(fx);
              return;
            }
            case 'tokenExpiring': {
              const now = scheduler.now();
              tokenRequests = now - lastTokenRequestAt > TOKEN_WINDOW_MS ? 1 : tokenRequests + 1;
              lastTokenRequestAt = now;
              if (tokenRequests > Math.max(1, settings.tokenRetries)) {
                fx.fail(new ServiceDeskError('AUTH_FAILED', `${name} rejected the token ${tokenRequests} times in a row: check how the token is minted.`));
                return;
              }
              if (tokenAsked$) tokenAsked$.next();
              else fx.fail(new ServiceDeskError('AUTH_FAILED', `${name} asked for a fresh token: reconnecting to get one.`, { retryable: true }));
              return;
            }
            case 'connectionLost':
            case 'queueUpdate':
            case 'agentRead':
            case 'screenShareRequested':
            case 'screenShareEnded':
              fx.emit(input);
              return;
            case 'capabilities':
              // The user's option wins: `{ allowFileUploads: false }` stays off whatever the vendor reports.
              fx.emit(ownCapabilities ? { type: 'capabilities', capabilities: { ...input.capabilities, ...ownCapabilities } } : input);
              return;
          }
        };
      },
      scheduler,
      logger,
      deliver,
    );
    // The polling and the token refresh listen before the connection can say anything; a port with neither costs
    // no extra hop per event.
    return poll$ === EMPTY && token$ === EMPTY ? steps$ : merge(poll$.pipe(consume(deliver)), token$, steps$);
  });

  // --- commands ---------------------------------------------------------------------------------------------------
  /** Reads the latest page of history, noting our own messages in it: whether the message `id` is there. */
  const arrivedBefore = (id: string): Observable<boolean> =>
    page().pipe(
      map((read) => {
        for (const event of read.events) if (event.type === 'userMessageSeen') delivered.add(event.messageId);
        return delivered.has(id);
      }),
      catchError((error: unknown) =>
        throwError(
          () => new ServiceDeskError('SEND_FAILED', `Could not check whether an earlier attempt already reached ${name}; not sending it blindly again.`, { retryable: true, cause: error }),
        ),
      ),
    );
  /**
   * Sends a user message or file once: not when the vendor is known to have it (its answer, an echo, history), and
   * after an attempt whose answer was lost only when the latest page of history does not have it.
   */
  const sendOnce = (id: string, send: () => Observable<unknown>): Observable<unknown> => {
    const already = () => {
      unsure.delete(id);
      logger.info(`${name}: a retried message had already arrived; not sent again`, { messageId: id });
      return of(true);
    };
    /** One attempt: while its answer is awaited, and after a retryable failure, the id is unsure. */
    const attemptInto = (subscriber: Subscriber<unknown>) => {
      let answered = false;
      const done = () => {
        if (answered) return;
        answered = true;
        unsure.delete(id);
        delivered.add(id);
      };
      const sending = send().subscribe({
        next: (value) => {
          done();
          subscriber.next(value);
        },
        complete: () => {
          done();
          subscriber.complete();
        },
        error: (error: unknown) => {
          answered = true;
          if (isRetryable(error)) unsure.add(id);
          else unsure.delete(id);
          subscriber.error(error);
        },
      });
      // Answered at once (the usual case): never unsure, no set touched but `delivered`.
      if (!answered) unsure.add(id);
      return sending;
    };
    return new Observable<unknown>((subscriber) => {
      if (delivered.has(id)) return already().subscribe(subscriber);
      // A first attempt (the usual case) is sent at once; only an id whose answer was lost reads the history first.
      if (!unsure.has(id) || !readHistory) return attemptInto(subscriber);
      return arrivedBefore(id)
        .pipe(switchMap((known) => (known ? already() : new Observable<unknown>(attemptInto))))
        .subscribe(subscriber);
    });
  };

  const commands: AdapterSession = {
    events$: deliverable(eventsInto),
    sendMessage: (outgoing) => sendOnce(outgoing.id, () => chat.sendMessage(outgoing)),
    end: () =>
      settings.endAction === 'leave' && chat.leave
        ? chat.leave().pipe(
            catchError((error: unknown) => {
              logger.warn(`${name}: leaving the chat failed`, { error });
              return EMPTY;
            }),
          )
        : EMPTY,
  };
  const { sendFile, sendTyping, markRead } = chat;
  return {
    ...commands,
    ...(sendFile ? { sendFile: (file) => sendOnce(file.id, () => sendFile.call(chat, file)) } : {}),
    ...(sendTyping ? { sendTyping: (isTyping) => sendTyping.call(chat, isTyping) } : {}),
    ...(markRead ? { markRead: () => markRead.call(chat, shownLast()) } : {}),
  } satisfies AdapterSession;
}
