import {
  EMPTY,
  Observable,
  catchError,
  concat,
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
  retry,
  switchMap,
  take,
  tap,
  throwError,
  timeout,
  timer,
  toArray,
  type Subscription,
} from 'rxjs';
import type { OutgoingFile, ServiceDeskAdapter } from '../../core/adapter.js';
import { DEFAULT_RETRY_POLICY, backoffDelay } from '../../core/backoff.js';
import { decodeEmitter, type Decoders, type EmitterLike } from '../../core/emitter.js';
import { createAdapter } from '../../core/engine/engine.js';
import type { AdapterEvent, AdapterPort, AgentRef, CommonAdapterOptions, PortRequest, PortSession } from '../../core/engine/port.js';
import { ServiceDeskError, isRetryable, toServiceDeskError } from '../../core/errors.js';
import { flatScan } from '../../core/operators.js';
import type { Capabilities } from '../../core/events.js';
import type { Logger } from '../../core/logger.js';
import { connectionEvents, fatalErrors, isStuck, sharedClientDecoders, tokenNeeded, waitForInit, type ClientSignal } from './connection.js';
import { DEFAULT_MESSAGE_ID_ATTRIBUTE } from './messages.js';
import { agentProfile, classify, loadProfile, participantId } from './participants.js';
import type {
  EndSignals,
  MessageAttributes,
  MessageInfo,
  ParticipantLike,
  ParticipantOptions,
  TwilioInput,
  TwilioSession,
  TwilioSessionRequest,
  TwilioToken,
  UserLike,
} from './types.js';

/** Log levels both Twilio SDKs take. */
export type TwilioLogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'silent';

/** What both Twilio clients offer the adapter besides their events. */
export interface TwilioClientLike {
  updateToken(token: string): PromiseLike<unknown>;
  getUser(identity: string): PromiseLike<UserLike>;
  shutdown(): PromiseLike<unknown>;
}

/**
 * What a Twilio chat keeps for a reconnect and a resume after a page reload (saved in the host's state, never the
 * token), and what `checkAvailability` is asked with while queued.
 */
export interface TwilioChatState {
  /** The channel or conversation sid. */
  readonly sid: string;
  /** Our identity. */
  readonly identity: string;
  /** The TaskRouter task Flex created, when the middleware said (for a queue position). */
  readonly taskSid?: string;
}

/**
 * Options both Twilio adapters take: the common adapter options (`checkAvailability`, `queuePollMs`,
 * `typingIntervalMs`, `endAction`, `transferGraceMs`, `endWhenAgentLeaves`, history, profile, token and media
 * timings, `messageIdAttribute`, `capabilities`, `name`) and Twilio's own. Every timing is in milliseconds.
 */
export interface TwilioOptions<Client> extends CommonAdapterOptions<TwilioChatState>, ParticipantOptions {
  /**
   * Fetches the session from your middleware (`POST /twilio/session`): token, identity and the channel or conversation
   * sid. Called once per chat, with the chat's routing and pre-chat context: pass it on as pre-engagement data, e.g.
   * `(request) => api.twilioSession('conversations', { preEngagement: request?.context?.attributes })`, and Flex
   * routes on it (see docs/vendors/twilio.md, "Route on pre-chat data").
   */
  getSession: (request?: TwilioSessionRequest) => PromiseLike<TwilioSession>;
  /**
   * Fetches a fresh token for the same identity (`POST /twilio/token`): `{ token, expiresAt? }` or the token itself.
   * Used when the token is about to expire or was refused, when the client was cut off, when reconnecting with a
   * stale one, and to resume a chat after a page reload. Without it, `getSession` is called again and only its token
   * is used (so it must not open a new chat every time).
   */
  getToken?: () => PromiseLike<TwilioToken | string>;
  /**
   * Creates the SDK client for a token: `(token, clientOptions) => new Client(token, clientOptions)`. The adapter passes
   * `{ logLevel }` (see `sdkLogLevel`), so the SDK stays quiet unless you ask.
   */
  createClient: (token: string, clientOptions: { logLevel: TwilioLogLevel }) => Client;
  /** The SDK's own log level. Default `'silent'`. */
  sdkLogLevel?: TwilioLogLevel;
  /** Which signals end the chat (see {@link EndSignals}); the ones you leave out keep their defaults. */
  endSignals?: Partial<EndSignals>;
  /** How long the connection must be down before the user is told. Default 2 000. */
  disconnectGraceMs?: number;
  /** Runs when the user ends the chat (after leaving, with `endAction: 'leave'`), e.g. to have the middleware close the Flex task. */
  onUserEnd?: (session: TwilioSession) => PromiseLike<unknown>;
}

/** What the adapter uses of every channel/conversation: its sid and events, whether we are in it, and joining it. */
export type TwilioTargetLike = EmitterLike & { readonly sid: string; readonly status: string; join(): PromiseLike<unknown> };

/** The SDK-specific half of a Twilio adapter: everything that differs between Programmable Chat and Conversations. */
export interface TwilioSdk<Client extends TwilioClientLike & EmitterLike, Target extends TwilioTargetLike> {
  /** Default integration name (at most 40 characters). */
  readonly name: string;
  /** The vendor's name in error messages. */
  readonly vendor: string;
  /** Which field of the session names the chat. */
  readonly sidKey: 'channelSid' | 'conversationSid';
  readonly defaultEndSignals: EndSignals;
  /** Whether the last agent leaving ends the chat by default (`endWhenAgentLeaves`). */
  readonly endWhenAgentLeaves: boolean;
  /** What the user may upload before the SDK says more. */
  readonly defaultCapabilities: Partial<Capabilities>;
  /** Client events for init and removal (the shared ones are added). */
  readonly clientDecoders: Decoders<ClientSignal>;
  /** Gets the channel/conversation (the adapter joins it when needed). */
  get(client: Client, sid: string): PromiseLike<Target>;
  /** The target's events, decoded; message attribute `idAttribute` holds the host's message id. */
  decoders(target: Target, idAttribute: string): Decoders<TwilioInput>;
  /** End signals that already hold when connecting (status attribute, state). */
  endedNow(target: Target): TwilioInput[];
  members(target: Target): PromiseLike<readonly ParticipantLike[]>;
  /**
   * The latest `pageSize` messages up to index `anchor` (the latest of all without one), oldest first; message
   * attribute `idAttribute` holds the host's message id.
   */
  history(target: Target, pageSize: number, logger: Logger, idAttribute: string, anchor?: number): Observable<MessageInfo>;
  capabilities(target: Target): Partial<Capabilities>;
  /** Sends a text with these message attributes (merged with any the SDK call sets itself). */
  send(target: Target, text: string, attributes: MessageAttributes): PromiseLike<unknown>;
  /** Sends a file with these message attributes (merged with any the SDK call sets itself). */
  sendFile(target: Target, file: OutgoingFile, attributes: MessageAttributes): PromiseLike<unknown>;
  typing(target: Target): PromiseLike<unknown>;
  markRead(target: Target, index: number): PromiseLike<unknown>;
  leave(target: Target): PromiseLike<unknown>;
}

/** Refresh a token this long before it expires when reconnecting. */
const STALE_MARGIN_MS = 60_000;

/**
 * Reads saved Twilio chat state back: `undefined` when it is not usable (then `reconnect()` answers `false`).
 *
 * @example
 * readTwilioChatState({ sid: 'CH1', identity: 'guest-1' }); // { sid: 'CH1', identity: 'guest-1' }
 * readTwilioChatState({ sid: 42 }); // undefined
 */
function readTwilioChatState(saved: unknown): TwilioChatState | undefined {
  const value = saved as Partial<TwilioChatState> | null;
  if (typeof value !== 'object' || value === null || typeof value.sid !== 'string' || !value.sid || typeof value.identity !== 'string' || !value.identity) {
    return undefined;
  }
  return typeof value.taskSid === 'string' ? { sid: value.sid, identity: value.identity, taskSid: value.taskSid } : { sid: value.sid, identity: value.identity };
}

function requireFunction(value: unknown, name: string, vendor: string): void {
  if (typeof value !== 'function') {
    throw new ServiceDeskError('CONFIG', `The ${vendor} adapter needs options.${name} (a function): see docs/vendors/twilio.md.`);
  }
}

/** Gets the channel/conversation `sid` and joins it unless we are in it already. */
function joined<Client extends TwilioClientLike & EmitterLike, Target extends TwilioTargetLike>(
  sdk: TwilioSdk<Client, Target>,
  client: Client,
  sid: string,
): Observable<Target> {
  return defer(() => sdk.get(client, sid)).pipe(
    switchMap((target) => (target.status === 'joined' ? of(target) : from(target.join()).pipe(map(() => target)))),
  );
}

/**
 * Builds a Twilio adapter from the SDK's half and the user's options: a port on the adapter engine (which owns
 * resume state, gap fill, exactly-once sends, dedupe, joins and transfers, profiles, queue polling and the token
 * refresh budget). Both `twilioChat` and `twilioConversations` are this function with their SDK half.
 *
 * @example
 * const adapter = createTwilioAdapter(chatSdk, { getSession, createClient: (token, clientOptions) => new Client(token, clientOptions) });
 */
export function createTwilioAdapter<Client extends TwilioClientLike & EmitterLike, Target extends TwilioTargetLike>(
  sdk: TwilioSdk<Client, Target>,
  options: TwilioOptions<Client>,
): ServiceDeskAdapter {
  requireFunction(options?.getSession, 'getSession', sdk.vendor);
  requireFunction(options.createClient, 'createClient', sdk.vendor);
  const port: AdapterPort<TwilioChatState> = {
    name: sdk.name,
    capabilities: sdk.defaultCapabilities,
    ...(typeof options.getToken === 'function' ? { readSession: readTwilioChatState } : {}),
    open: (request) => openTwilioChat(sdk, options, request),
  };
  return createAdapter(port, { typingIntervalMs: 3_000, transferGraceMs: 30_000, endWhenAgentLeaves: sdk.endWhenAgentLeaves, ...options });
}

/** The connection of one attempt: the client, its decoded events, and its latest connection state. */
interface Live<Client> {
  readonly client: Client;
  readonly signals$: Observable<ClientSignal>;
  state: string;
}

function openTwilioChat<Client extends TwilioClientLike & EmitterLike, Target extends TwilioTargetLike>(
  sdk: TwilioSdk<Client, Target>,
  options: TwilioOptions<Client>,
  request: PortRequest<TwilioChatState>,
): PortSession<TwilioChatState> {
  const { scheduler, logger } = request;
  const { vendor } = sdk;
  const endSignals: EndSignals = { ...sdk.defaultEndSignals, ...options.endSignals };
  const pageSize = options.historyPageSize ?? 30;
  const idAttribute = options.messageIdAttribute ?? DEFAULT_MESSAGE_ID_ATTRIBUTE;
  const summary = request.summary.join('\n').trim();
  /** The summary's id in the message attributes: a retried connection finds it in history and does not send it twice. */
  const summaryId = `rx-summary-${scheduler.now()}`;
  const clientDecoders: Decoders<ClientSignal> = { ...sharedClientDecoders, ...sdk.clientDecoders };
  const sessionRequest: TwilioSessionRequest = request.context ? { context: request.context } : {};

  let session: TwilioSession | undefined;
  let chat: TwilioChatState | undefined = request.resume;
  let live: Live<Client> | undefined;
  let target: Target | undefined;
  let summarySent = request.resume !== undefined || summary === '';
  let connections = 0;
  let leaving = false;
  /** Agents present, by id (their member/participant, for the profile). */
  const agents = new Map<string, ParticipantLike>();
  let ownLastIndex: number | undefined;
  let readReported: number | undefined;

  // --- sessions and tokens --------------------------------------------------------------------------------------
  const tokenRetries = options.tokenRetries ?? 2;
  const fetchToken = (): Observable<TwilioToken> =>
    defer(() => (options.getToken ? options.getToken() : options.getSession(sessionRequest))).pipe(
      map((answer): TwilioToken => {
        const token = typeof answer === 'string' ? { token: answer } : answer;
        if (typeof token?.token !== 'string' || !token.token) {
          throw new ServiceDeskError('AUTH_FAILED', `The token endpoint answered without a token for ${vendor}.`);
        }
        return token;
      }),
      retry({
        delay: (error: unknown, attempt: number) =>
          isRetryable(error) && attempt <= tokenRetries ? timer(backoffDelay(attempt, DEFAULT_RETRY_POLICY, () => 0), scheduler) : throwError(() => error),
      }),
      catchError((error: unknown) =>
        throwError(
          () =>
            new ServiceDeskError('AUTH_FAILED', `Could not get a fresh ${vendor} token: check getToken and that the user is still signed in.`, {
              cause: error,
              retryable: false,
            }),
        ),
      ),
      tap((token) => {
        const base: TwilioSession = session ?? { token: token.token, identity: chat!.identity, ...(sdk.sidKey === 'channelSid' ? { channelSid: chat!.sid } : { conversationSid: chat!.sid }) };
        session = { ...base, token: token.token, ...(token.expiresAt !== undefined ? { expiresAt: token.expiresAt } : {}) };
      }),
    );
  const newChat = (): Observable<TwilioChatState> =>
    defer(() => options.getSession(sessionRequest)).pipe(
      catchError((error: unknown) => throwError(() => toServiceDeskError(error, 'CONNECT_FAILED', `Could not get a ${vendor} session from the middleware.`))),
      map((answer) => {
        const sid = answer?.[sdk.sidKey];
        if (typeof answer?.token !== 'string' || typeof answer.identity !== 'string' || typeof sid !== 'string') {
          throw new ServiceDeskError('CONFIG', `getSession() must return { token, identity, ${sdk.sidKey} } for ${vendor}.`);
        }
        session = answer;
        return typeof answer.taskSid === 'string' ? { sid, identity: answer.identity, taskSid: answer.taskSid } : { sid, identity: answer.identity };
      }),
    );
  /** The session token, fetched again when there is none (a resume) or it is about to expire. */
  const token$ = defer(() => {
    const stale = session?.expiresAt !== undefined && session.expiresAt - STALE_MARGIN_MS <= scheduler.now();
    return session && !stale ? of(session.token) : fetchToken().pipe(map((token) => token.token));
  });

  // --- what the SDK says, as adapter events ---------------------------------------------------------------------
  const agentIdOf = (who: ParticipantLike) => (classify(who, chat!.identity, options) === 'agent' ? participantId(who) : undefined);
  const eventsOf = (input: TwilioInput, fromHistory: boolean): AdapterEvent<TwilioChatState>[] => {
    switch (input.kind) {
      case 'joined': {
        const id = agentIdOf(input.who);
        if (id === undefined) return [];
        agents.set(id, input.who);
        return [{ type: 'agentJoined', agent: { id } }];
      }
      case 'left': {
        const id = agentIdOf(input.who);
        if (id === undefined) return [];
        agents.delete(id);
        return [{ type: 'agentLeft', agentId: id }];
      }
      case 'members': {
        agents.clear();
        for (const who of input.list) {
          const id = agentIdOf(who);
          if (id !== undefined) agents.set(id, who);
        }
        return [{ type: 'agentsPresent', agents: [...agents.keys()].map((id) => ({ id })) }];
      }
      case 'typing': {
        const id = agentIdOf(input.who);
        return id === undefined ? [] : [{ type: 'agentTyping', isTyping: input.isTyping, agentId: id }];
      }
      case 'read': {
        const own = ownLastIndex;
        if (agentIdOf(input.who) === undefined || typeof input.index !== 'number' || own === undefined || input.index < own) return [];
        if (readReported !== undefined && own <= readReported) return [];
        readReported = own;
        return [{ type: 'agentRead' }];
      }
      case 'message':
        return messageEvents(input.message, fromHistory);
      case 'ended':
        if (!endSignals[input.signal]) {
          logger.debug('Twilio end signal ignored (switched off)', { signal: input.signal });
          return [];
        }
        return leaving ? [] : [{ type: 'chatEnded', reason: input.reason }];
    }
  };
  const noteOwnIndex = (index: unknown) => {
    if (typeof index === 'number' && Number.isFinite(index) && (ownLastIndex === undefined || index > ownLastIndex)) ownLastIndex = index;
  };
  /**
   * Our own messages say which host ids reached the desk; an agent's is shown with the agent's id when a member wrote
   * it (a message the desk's automation posts has none), read from history only when that agent is present.
   */
  const messageEvents = (message: MessageInfo, fromHistory: boolean): AdapterEvent<TwilioChatState>[] => {
    const { author } = message;
    if (author !== undefined && author === chat!.identity) {
      noteOwnIndex(message.index);
      if (message.hostId === summaryId) summarySent = true;
      return message.hostId === undefined ? [] : [{ type: 'userMessageSeen', messageId: message.hostId }];
    }
    if (!message.text && !message.attachments) return [];
    const present = author !== undefined && agents.has(author);
    const named = present || (author !== undefined && !fromHistory && message.participantSid !== undefined);
    const load = message.attachments;
    return [
      {
        type: 'agentMessage',
        id: message.sid,
        text: message.text,
        index: message.index,
        // An agent who has not joined yet: the engine shows their join first, by identity until lookupAgent answers.
        ...(named ? { agentId: author, ...(present ? {} : { sender: { nickname: author } }) } : {}),
        ...(load ? { loadAttachments: () => from(load()) } : {}),
      },
    ];
  };

  // --- one connection ---------------------------------------------------------------------------------------------
  const lenient = <T>(what: string) =>
    catchError<T, Observable<never>>((error: unknown) => {
      logger.warn(`${vendor}: could not read the ${what}; going on without it`, { error });
      return EMPTY;
    });
  const summary$ = (to: Target) =>
    defer(() =>
      summarySent
        ? EMPTY
        : from(sdk.send(to, summary, { [idAttribute]: summaryId })).pipe(
            tap((index) => {
              noteOwnIndex(index);
              summarySent = true;
            }),
            ignoreElements(),
          ),
    );
  /** The chat's events: what was there (end signals, members, the latest history), then what happened since. */
  const chatEvents = (to: Target, signals$: Observable<ClientSignal>): Observable<AdapterEvent<TwilioChatState>> => {
    const first = connections === 0 && request.resume === undefined;
    const live$ = merge(
      decodeEmitter(to, sdk.decoders(to, idAttribute), logger),
      signals$.pipe(
        filter((signal) => signal.kind === 'removed' && signal.sid === to.sid),
        map((): TwilioInput => ({ kind: 'ended', signal: 'removed', reason: `we are no longer in the ${vendor} chat` })),
      ),
    ).pipe(
      // One hop per event: no inner subscription per value on the per-message path.
      flatScan<TwilioInput, AdapterEvent<TwilioChatState>>(() => (input, emit) => {
        for (const event of eventsOf(input, false)) emit(event);
      }),
    );
    const capabilities = sdk.capabilities(to);
    const snapshot$ = concat(
      defer(() => from(sdk.endedNow(to).flatMap((input) => eventsOf(input, false)))),
      defer(() => sdk.members(to)).pipe(
        mergeMap((list) => eventsOf({ kind: 'members', list }, true)),
        lenient('members'),
      ),
      // A new chat shows what is already there; the summary is looked for when an earlier attempt may have sent it.
      first || !summarySent
        ? sdk.history(to, pageSize, logger, idAttribute).pipe(
            mergeMap((message) => messageEvents(message, true)),
            lenient('history'),
          )
        : EMPTY,
      Object.keys(capabilities).length ? of<AdapterEvent<TwilioChatState>>({ type: 'capabilities', capabilities }) : EMPTY,
    );
    // Live events do not wait for the summary's answer; `connected` does.
    const ready$ = concat(
      summary$(to),
      defer(() => {
        connections += 1;
        return of<AdapterEvent<TwilioChatState>>({ type: 'connected' });
      }),
    );
    return after(snapshot$, live$, ready$);
  };

  const attempt = (state: TwilioChatState, token: string): Observable<AdapterEvent<TwilioChatState>> =>
    defer(() => {
      const client = options.createClient(token, { logLevel: options.sdkLogLevel ?? 'silent' });
      return decodeEmitter(client, clientDecoders, logger).pipe(
        connect((signals$) => {
          const current: Live<Client> = { client, signals$, state: 'unknown' };
          live = current;
          return merge(
            signals$.pipe(
              tap((signal) => {
                if (signal.kind === 'state') current.state = signal.state;
              }),
              ignoreElements(),
            ),
            connectionEvents(signals$, options.disconnectGraceMs ?? 2_000, scheduler),
            // A routine refresh is the port's, one at a time; a client refused or cut off asks the engine, which bounds
            // and retries it (never held behind a routine refresh in progress).
            tokenNeeded(signals$).pipe(
              connect((need$) =>
                merge(
                  need$.pipe(
                    filter((need) => need === 'stuck'),
                    map((): AdapterEvent<TwilioChatState> => ({ type: 'tokenExpiring' })),
                  ),
                  need$.pipe(
                    filter((need) => need === 'aboutToExpire'),
                    exhaustMap(() => routineRefresh()),
                  ),
                ),
              ),
            ),
            // Before init, a terminal error is the init failing (waitForInit reports it).
            waitForInit(signals$, vendor).pipe(
              switchMap(() => merge(fatalErrors(signals$, vendor), joined(sdk, client, state.sid).pipe(switchMap((to) => chatOn(to, signals$))))),
            ),
          );
        }),
        finalize(() => {
          if (live?.client === client) live = undefined;
          shutdown(client, logger, vendor);
        }),
      );
    });
  const chatOn = (to: Target, signals$: Observable<ClientSignal>) =>
    defer(() => {
      target = to;
      return chatEvents(to, signals$).pipe(
        finalize(() => {
          if (target === to) target = undefined;
        }),
      );
    });

  const withTarget = <T>(run: (to: Target) => PromiseLike<T> | Observable<T>): Observable<T> =>
    defer(() =>
      target
        ? from(run(target))
        : throwError(() => new ServiceDeskError('NOT_CONNECTED', `The ${vendor} chat is not connected yet.`, { retryable: true })),
    );
  /** A message or file the desk refused for good is not worth sending again. */
  const refused = catchError((error: unknown) => {
    const status = refusedStatus(error);
    return throwError(() => (status === undefined ? error : new ServiceDeskError('SEND_FAILED', `${vendor} refused it (status ${status}).`, { retryable: false, cause: error })));
  });

  return {
    connect: (saved) =>
      defer(() => {
        // A new chat's session comes with its token; a reconnect or a resume gets one when it has none or it is stale.
        const state$ = saved ? of(saved) : newChat();
        return state$.pipe(
          switchMap((state) => {
            const known = chat !== undefined;
            chat = state;
            const tokenFor$ = saved ? token$ : of(session!.token);
            return concat(known ? EMPTY : of<AdapterEvent<TwilioChatState>>({ type: 'sessionState', state }), tokenFor$.pipe(switchMap((token) => attempt(state, token))));
          }),
        );
      }),
    sendMessage: (message) => withTarget((to) => sdk.send(to, message.text, { [idAttribute]: message.id })).pipe(tap(noteOwnIndex), refused),
    sendFile: (file) => withTarget((to) => sdk.sendFile(to, file, { [idAttribute]: file.id })).pipe(tap(noteOwnIndex), refused),
    sendTyping: (isTyping) => (isTyping ? withTarget((to) => sdk.typing(to)) : of(undefined)),
    markRead: (last) => (last?.index === undefined ? of(undefined) : withTarget((to) => sdk.markRead(to, last.index!))),
    leave: () =>
      defer(() => {
        leaving = true;
        const hook = options.onUserEnd;
        return concat(
          target ? withTarget((to) => sdk.leave(to)).pipe(lenientLeave(logger, vendor)) : EMPTY,
          hook && session ? defer(() => hook(session!)) : EMPTY,
        ).pipe(ignoreElements());
      }),
    readHistory: ({ before, pageSize: size }) =>
      withTarget((to) => sdk.history(to, size, logger, idAttribute, typeof before === 'number' ? before : undefined).pipe(toArray())).pipe(
        map((messages) => {
          const oldest = messages[0];
          return {
            events: messages.flatMap((message) => messageEvents(message, true)),
            ...(oldest && messages.length >= size && oldest.index > 0 ? { before: oldest.index - 1 } : {}),
          };
        }),
      ),
    refreshToken: () => refreshOnce(),
    lookupAgent: (agent) => profileOf(agent),
  };

  /**
   * Gives the client a fresh token (on the next tick: an SDK that answers at once must not connect again before every
   * listener heard that it was cut off). Fails, to be tried again, when the SDK refuses it or the client stays cut
   * off (the SDK ignores the token it already has).
   */
  function refreshOnce(): Observable<unknown> {
    return timer(0, scheduler).pipe(
      switchMap(() => {
        const current = live;
        if (!current) return throwError(() => new ServiceDeskError('NOT_CONNECTED', `The ${vendor} client is not there to take a token.`, { retryable: true }));
        return fetchToken().pipe(
          switchMap((fresh) =>
            from(current.client.updateToken(fresh.token)).pipe(
              catchError((error: unknown) => throwError(() => toServiceDeskError(error, 'AUTH_FAILED', `${vendor} did not take the new token.`, true))),
            ),
          ),
          switchMap(() => (isStuck(current.state) ? current.signals$.pipe(filter((signal) => signal.kind === 'state' && signal.state === 'connected')) : of(undefined))),
          take(1),
        );
      }),
    );
  }

  /**
   * Refreshes a token that is about to expire. No token to be had ends the chat; any other failure is only logged: a
   * refused token leaves the client `denied`, and one never taken expires, so the client is cut off, and either then
   * asks the engine for a fresh token.
   */
  function routineRefresh(): Observable<never> {
    return refreshOnce().pipe(
      timeout({ first: options.tokenTimeoutMs ?? 10_000, scheduler }),
      ignoreElements(),
      catchError((error: unknown) => {
        if (!isRetryable(error)) return throwError(() => error);
        logger.warn(`${vendor}: a token about to expire could not be refreshed`, { error });
        return EMPTY;
      }),
    );
  }

  /** The agent's profile: from their member/participant, or from the client's user of that identity. */
  function profileOf(agent: AgentRef): Observable<Omit<AgentRef, 'id'>> {
    const known = agents.get(agent.id);
    const client = live?.client;
    const who: ParticipantLike = known ?? (client ? { sid: agent.id, identity: agent.id, getUser: () => client.getUser(agent.id) } : { sid: agent.id, identity: agent.id });
    const profile$ = who.getUser ? loadProfile(who, options, scheduler, logger) : of(agentProfile(who, undefined, options));
    return profile$.pipe(map(({ nickname, avatarUrl }) => (avatarUrl ? { nickname, avatarUrl } : { nickname })));
  }
}

/**
 * Emits what `first$` emits, then what `live$` emitted meanwhile (listening starts at once, so nothing is missed),
 * then `live$` as it comes: "what was there", then "what happened since"; `then$` starts once `first$` is done.
 */
function after<T>(first$: Observable<T>, live$: Observable<T>, then$: Observable<T>): Observable<T> {
  return new Observable<T>((subscriber) => {
    let held: T[] | undefined = [];
    let thenSubscription: Subscription | undefined;
    const forward = { next: (value: T) => subscriber.next(value), error: (error: unknown) => subscriber.error(error) };
    const liveSubscription = live$.subscribe({
      next: (value) => (held ? held.push(value) : subscriber.next(value)),
      error: forward.error,
    });
    const firstSubscription = first$.subscribe({
      ...forward,
      complete: () => {
        const release = held ?? [];
        held = undefined;
        for (const value of release) subscriber.next(value);
        thenSubscription = then$.subscribe(forward);
      },
    });
    return () => {
      firstSubscription.unsubscribe();
      liveSubscription.unsubscribe();
      thenSubscription?.unsubscribe();
    };
  });
}

function lenientLeave<T>(logger: Logger, vendor: string) {
  return catchError<T, Observable<never>>((error: unknown) => {
    logger.warn(`${vendor}: leaving the chat failed`, { error });
    return EMPTY;
  });
}

/**
 * The status of a command the desk refused for good (4xx other than 408 and 429), read from the SDKs' error message
 * (conversations `command-executor.js:185-186`, twilio-chat's alike); undefined for anything else.
 */
function refusedStatus(error: unknown): number | undefined {
  const match = error instanceof Error ? /non-success code (4\d\d)\b/.exec(error.message) : null;
  const status = match ? Number(match[1]) : undefined;
  return status === undefined || status === 408 || status === 429 ? undefined : status;
}

function shutdown(client: TwilioClientLike, logger: Logger, vendor: string): void {
  try {
    client.shutdown().then(undefined, (error: unknown) => logger.debug(`${vendor} client shutdown failed`, { error }));
  } catch (error) {
    logger.debug(`${vendor} client shutdown failed`, { error });
  }
}
