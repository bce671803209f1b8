import {
  EMPTY,
  catchError,
  concat,
  concatMap,
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
  takeWhile,
  tap,
  throwError,
  timeout,
  timer,
  toArray,
  type Observable,
} from 'rxjs';
import type { AdapterSession, OutgoingFile, ServiceDeskAdapter, SessionRequest } from '../../core/adapter.js';
import { DEFAULT_RETRY_POLICY, backoffDelay } from '../../core/backoff.js';
import { decodeEmitter, type Decoders, type EmitterLike } from '../../core/emitter.js';
import { ServiceDeskError, isRetryable, toServiceDeskError } from '../../core/errors.js';
import type { Capabilities, DomainEvent } from '../../core/events.js';
import type { Logger } from '../../core/logger.js';
import { connectionEvents, connectionRestores, fatalErrors, sharedClientDecoders, tokenRecovery, waitForInit, type ClientSignal } from './connection.js';
import { drive, holdUntilLoaded, type Tagged } from './drive.js';
import { ChatMachine } from './machine.js';
import { DEFAULT_MESSAGE_ID_ATTRIBUTE, readBack } from './messages.js';
import type {
  EndSignals,
  MessageAttributes,
  MessageInfo,
  ParticipantLike,
  ParticipantOptions,
  TwilioAvailability,
  TwilioInput,
  TwilioSession,
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

/** Options both Twilio adapters take. Every timing is in milliseconds. */
export interface TwilioOptions<Client> extends ParticipantOptions {
  /**
   * Fetches the session from your middleware (`POST /twilio/session`): token, identity and the channel or conversation
   * sid. Called once per chat.
   */
  getSession: () => PromiseLike<TwilioSession>;
  /**
   * Fetches a fresh token for the same identity (`POST /twilio/token`): `{ token, expiresAt? }` or the token itself. Used when the token is about to expire, when
   * reconnecting with a stale one, and to resume a chat after a page reload. Without it, `getSession` is called again
   * and only its token is used (so it must not open a new chat every time).
   */
  getToken?: () => PromiseLike<TwilioToken | string>;
  /**
   * Creates the SDK client for a token: `(token, clientOptions) => new Client(token, clientOptions)`. The adapter passes
   * `{ logLevel }` (see `sdkLogLevel`), so the SDK stays quiet unless you ask.
   */
  createClient: (token: string, clientOptions: { logLevel: TwilioLogLevel }) => Client;
  /** The SDK's own log level. Default `'silent'`. */
  sdkLogLevel?: TwilioLogLevel;
  /**
   * Agent availability and queue figures (`GET /twilio/availability`): answers `areAnyAgentsOnline` (no session yet)
   * and is polled for queue updates with the chat's session (pass its `taskSid` on for a queue position).
   */
  checkAvailability?: (session?: TwilioSession) => PromiseLike<TwilioAvailability>;
  /** The integration name the host reports. */
  name?: string;
  /** Which signals end the chat (see {@link EndSignals}); the ones you leave out keep their defaults. */
  endSignals?: Partial<EndSignals>;
  /** After the last agent left, how long a new agent joining counts as a transfer. Default 30 000. */
  transferGraceMs?: number;
  /** How long the connection must be down before the user is told. Default 2 000. */
  disconnectGraceMs?: number;
  /** How often to ask `checkAvailability` for queue figures until the first agent joins; 0 turns it off. Default 15 000. */
  queuePollMs?: number;
  /** How often to call the SDK's `typing()` while the user types (the agent's indicator fades after 5 s). Default 3 000. */
  typingHeartbeatMs?: number;
  /**
   * How many messages of history to read when (re)connecting, when the SDK's connection comes back, and before a
   * retried send. Default 30.
   */
  historyPageSize?: number;
  /**
   * Longest wait for the history read after the SDK's connection came back (live events wait for it). When it does
   * not answer, the chat goes on without it. Default 10 000.
   */
  historyTimeoutMs?: number;
  /**
   * Message attribute that carries the host's message id on every message (and file) the user sends; retried sends
   * look for it so that a message whose answer was lost is not sent twice. Default `'rxMessageId'`.
   */
  messageIdAttribute?: string;
  /** Longest wait for the temporary URLs of an agent's media. Default 10 000. */
  mediaTimeoutMs?: number;
  /** Leave the channel/conversation when the user ends the chat. Default `true`. */
  leaveOnEnd?: boolean;
  /** Runs when the user ends the chat (after leaving), e.g. to have the middleware close the Flex task. */
  onUserEnd?: (session: TwilioSession) => PromiseLike<unknown>;
  /** What the user may upload; overrides what the SDK's limits say. `{ allowFileUploads: false }` turns uploads off. */
  capabilities?: Partial<Capabilities>;
  /**
   * Further attempts to get a token after a retryable failure before the chat ends, and further refreshes after the
   * SDK did not take a fresh token (refused it, did not answer, or stayed cut off). Default 2.
   */
  tokenRetries?: number;
  /**
   * Longest wait for the SDK to take a fresh token (and, when it was cut off, to connect again with it); a longer
   * wait counts as a failed refresh. Default 10 000.
   */
  tokenTimeoutMs?: number;
}

/** The SDK-specific half of a Twilio adapter: everything that differs between Programmable Chat and Conversations. */
export interface TwilioPort<Client extends TwilioClientLike & EmitterLike, Target extends EmitterLike & { readonly sid: string }> {
  /** Default integration name (at most 40 characters). */
  readonly name: string;
  /** The vendor's name in error messages. */
  readonly vendor: string;
  /** Which field of the session names the chat. */
  readonly sidKey: 'channelSid' | 'conversationSid';
  readonly defaultEndSignals: EndSignals;
  /** What the user may upload before the SDK says more. */
  readonly defaultCapabilities: Partial<Capabilities>;
  /** Client events for init and removal (the shared ones are added). */
  readonly clientDecoders: Decoders<ClientSignal>;
  /** Gets the channel/conversation and joins it when needed. */
  open(client: Client, sid: string): Observable<Target>;
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

/** The state a Twilio session keeps for a resume after a page reload. */
export interface TwilioResumeState {
  readonly sid: string;
  readonly identity: string;
  readonly lastIndex?: number;
}

/** At most this many pages of history are read after the SDK's connection came back. */
const RESYNC_MAX_PAGES = 10;

/** Refresh a token this long before it expires when reconnecting. */
const STALE_MARGIN_MS = 60_000;

function readResume(state: unknown): TwilioResumeState {
  const value = state as Partial<TwilioResumeState> | null;
  if (typeof value?.sid !== 'string' || typeof value.identity !== 'string') {
    throw new ServiceDeskError('CONFIG', 'The saved Twilio chat state is not usable (no sid or identity): start a new chat.');
  }
  return typeof value.lastIndex === 'number' ? { sid: value.sid, identity: value.identity, lastIndex: value.lastIndex } : { sid: value.sid, identity: value.identity };
}

function requireFunction(value: unknown, name: string, vendor: string): void {
  if (typeof value !== 'function') {
    throw new ServiceDeskError('CONFIG', `The ${vendor} adapter needs options.${name} (a function): see docs/vendors/twilio.md.`);
  }
}

/**
 * Builds a Twilio adapter from an SDK port and the user's options. Both `twilioChat` and `twilioConversations` are
 * this function with their port; everything that behaves the same (sessions and tokens, connection states, the
 * chat state machine, history and summary, commands, availability) lives here once.
 *
 * @example
 * const adapter = createTwilioAdapter(chatPort, { getSession, createClient: (token, clientOptions) => new Client(token, clientOptions) });
 */
export function createTwilioAdapter<Client extends TwilioClientLike & EmitterLike, Target extends EmitterLike & { readonly sid: string }>(
  port: TwilioPort<Client, Target>,
  options: TwilioOptions<Client>,
): ServiceDeskAdapter {
  requireFunction(options?.getSession, 'getSession', port.vendor);
  requireFunction(options.createClient, 'createClient', port.vendor);
  const check = options.checkAvailability;
  const adapter: ServiceDeskAdapter = {
    name: options.name ?? port.name,
    capabilities: { ...port.defaultCapabilities, ...options.capabilities },
    typingHeartbeatMs: options.typingHeartbeatMs ?? 3_000,
    canResume: typeof options.getToken === 'function',
    open: (request) => openSession(port, options, request),
  };
  if (check) {
    adapter.checkAvailability = () => Promise.resolve(check()).then((answer) => (typeof answer?.online === 'boolean' ? answer.online : null));
  }
  return adapter;
}

function openSession<Client extends TwilioClientLike & EmitterLike, Target extends EmitterLike & { readonly sid: string }>(
  port: TwilioPort<Client, Target>,
  options: TwilioOptions<Client>,
  request: SessionRequest,
): AdapterSession {
  const { scheduler, logger } = request;
  const resume = request.resume === undefined ? undefined : readResume(request.resume);
  if (resume && typeof options.getToken !== 'function') {
    throw new ServiceDeskError('CONFIG', `Resuming a ${port.vendor} chat needs options.getToken.`);
  }
  const endSignals: EndSignals = { ...port.defaultEndSignals, ...options.endSignals };
  const pageSize = options.historyPageSize ?? 30;
  const historyTimeoutMs = options.historyTimeoutMs ?? 10_000;
  const idAttribute = options.messageIdAttribute ?? DEFAULT_MESSAGE_ID_ATTRIBUTE;
  /** The summary's id in the message attributes: a retried connection finds it in history and does not send it twice. */
  const summaryId = `rx-summary-${scheduler.now()}`;
  const idAttributes = (id: string): MessageAttributes => ({ [idAttribute]: id });
  const pollMs = options.queuePollMs ?? 15_000;
  const check = options.checkAvailability;
  const summary = request.summary.join('\n').trim();
  const state: { session: (TwilioSession & { sid: string }) | undefined; client: Client | undefined; target: Target | undefined; summarySent: boolean } = {
    session: undefined,
    client: undefined,
    target: undefined,
    summarySent: resume !== undefined || summary === '',
  };
  const machine = new ChatMachine(
    {
      participants: options,
      endSignals,
      transferGraceMs: options.transferGraceMs ?? 30_000,
      mediaTimeoutMs: options.mediaTimeoutMs ?? 10_000,
      scheduler,
      logger,
      persist: (lastIndex): TwilioResumeState | undefined =>
        state.session && {
          sid: state.session.sid,
          identity: state.session.identity,
          ...(lastIndex !== undefined ? { lastIndex } : {}),
        },
      userOf: (identity) => state.client?.getUser(identity),
    },
    resume?.lastIndex,
  );

  // --- session and tokens ---------------------------------------------------------------------------------------
  const tokenRetries = options.tokenRetries ?? 2;
  const fetchToken = (): Observable<TwilioToken> =>
    defer(() => (options.getToken ? options.getToken() : options.getSession())).pipe(
      map((answer): TwilioToken => {
        const token = typeof answer === 'string' ? { token: answer } : answer;
        if (typeof token?.token !== 'string' || !token.token) {
          throw new ServiceDeskError('AUTH_FAILED', `The token endpoint answered without a token for ${port.vendor}.`);
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
            new ServiceDeskError('AUTH_FAILED', `Could not get a fresh ${port.vendor} token: check getToken and that the user is still signed in.`, {
              cause: error,
              retryable: false,
            }),
        ),
      ),
    );
  const withToken = (token: TwilioToken) => {
    const current = state.session!;
    state.session = { ...current, token: token.token, ...(token.expiresAt !== undefined ? { expiresAt: token.expiresAt } : {}) };
    return state.session;
  };
  const newSession = (): Observable<TwilioSession & { sid: string }> =>
    defer(() => options.getSession()).pipe(
      catchError((error: unknown) => throwError(() => toServiceDeskError(error, 'CONNECT_FAILED', `Could not get a ${port.vendor} session from the middleware.`))),
      map((answer) => {
        const sid = answer?.[port.sidKey];
        if (typeof answer?.token !== 'string' || typeof answer.identity !== 'string' || typeof sid !== 'string') {
          throw new ServiceDeskError('CONFIG', `getSession() must return { token, identity, ${port.sidKey} } for ${port.vendor}.`);
        }
        return { ...answer, sid };
      }),
    );
  const session$ = defer(() => {
    const current = state.session;
    if (current) {
      const stale = current.expiresAt !== undefined && current.expiresAt - STALE_MARGIN_MS <= scheduler.now();
      return stale ? fetchToken().pipe(map(withToken)) : of(current);
    }
    if (resume) {
      return fetchToken().pipe(
        map((token) => {
          state.session = { token: token.token, identity: token.identity ?? resume.identity, sid: resume.sid, ...(token.expiresAt !== undefined ? { expiresAt: token.expiresAt } : {}) };
          return state.session;
        }),
      );
    }
    return newSession().pipe(tap((session) => (state.session = session)));
  });

  // --- one connection attempt ---------------------------------------------------------------------------------
  const clientDecoders: Decoders<ClientSignal> = { ...sharedClientDecoders, ...port.clientDecoders };

  const chat = (target: Target, signals$: Observable<ClientSignal>): Observable<DomainEvent> => {
    state.target = target;
    const live$ = merge(
      decodeEmitter(target, port.decoders(target, idAttribute), logger),
      signals$.pipe(
        filter((signal) => signal.kind === 'removed' && signal.sid === target.sid),
        map((): TwilioInput => ({ kind: 'ended', signal: 'removed', reason: `we are no longer in the ${port.vendor} chat` })),
      ),
    ).pipe(map((input): Tagged => ({ live: true, input })));
    const summary$ = defer(() => {
      // History was read just before: a summary an earlier attempt sent (its answer lost) is in it.
      if (state.summarySent || machine.delivered(summaryId)) return EMPTY;
      return from(port.send(target, summary, idAttributes(summaryId))).pipe(
        tap((index) => {
          machine.noteOwnMessage(index);
          machine.noteDelivered(summaryId);
          state.summarySent = true;
        }),
        ignoreElements(),
      );
    });
    const lenient = <T>(what: string) =>
      catchError<T, Observable<never>>((error: unknown) => {
        logger.warn(`${port.vendor}: could not read the ${what}; going on without it`, { error });
        return EMPTY;
      });
    const page$ = port.history(target, pageSize, logger, idAttribute).pipe(map((message): TwilioInput => ({ kind: 'message', message, replay: true })));
    const snapshot$ = concat(
      defer(() => from(port.endedNow(target))),
      defer(() => port.members(target)).pipe(
        map((list): TwilioInput => ({ kind: 'members', list })),
        lenient('members'),
      ),
      page$.pipe(lenient('history')),
      of<TwilioInput>({ kind: 'loaded' }),
    );
    // The SDK reconnects by itself and may not deliver what was sent meanwhile: when the connection is back, live
    // events wait (`resync`) while history is read again, back to the last agent message shown (one page, more when
    // the outage was longer); messages already shown are skipped by sid.
    const since$ = readBack(
      (anchor) => port.history(target, pageSize, logger, idAttribute, anchor),
      pageSize,
      (oldest) => machine.covers(oldest.index),
      RESYNC_MAX_PAGES,
    ).pipe(map((message): TwilioInput => ({ kind: 'message', message, replay: true })));
    const resync$ = concat(
      since$.pipe(timeout({ first: historyTimeoutMs, scheduler }), lenient('history after the connection came back')),
      of<TwilioInput>({ kind: 'loaded' }),
    );
    const reads$ = connectionRestores(signals$).pipe(
      connect((restored$) =>
        snapshot$.pipe(
          connect((snapshotRead$) => {
            // Completes when the snapshot has been read (at once, once it has).
            const afterSnapshot$ = snapshotRead$.pipe(ignoreElements());
            return merge(
              restored$.pipe(map((): TwilioInput => ({ kind: 'resync' }))),
              snapshotRead$,
              concat(afterSnapshot$, summary$, of<TwilioInput>({ kind: 'ready' })),
              // One read at a time, in order, after the snapshot (a slow summary does not hold them up).
              restored$.pipe(concatMap(() => concat(afterSnapshot$, resync$))),
            );
          }),
        ),
      ),
      map((input): Tagged => ({ live: false, input })),
    );
    const capabilities = { ...port.capabilities(target), ...options.capabilities };
    const queue$ =
      check && pollMs > 0
        ? timer(0, pollMs, scheduler).pipe(
            takeWhile(() => machine.waitingForAgent),
            exhaustMap(() =>
              defer(() => check(state.session)).pipe(
                timeout({ first: pollMs, scheduler }),
                catchError((error: unknown) => {
                  logger.debug('queue figures not available', { error });
                  return EMPTY;
                }),
              ),
            ),
            mergeMap((answer): Observable<DomainEvent> => {
              const position = typeof answer?.position === 'number' ? answer.position : undefined;
              const waitMinutes = typeof answer?.waitMinutes === 'number' ? answer.waitMinutes : undefined;
              if (position === undefined && waitMinutes === undefined) return EMPTY;
              return of({
                type: 'queueUpdate',
                ...(position !== undefined ? { position } : {}),
                ...(waitMinutes !== undefined ? { waitMinutes } : {}),
              });
            }),
          )
        : EMPTY;
    return merge(
      concat(
        Object.keys(capabilities).length ? of<DomainEvent>({ type: 'capabilities', capabilities }) : EMPTY,
        merge(live$, reads$).pipe(holdUntilLoaded(), drive(machine, scheduler, logger)),
      ),
      queue$,
    ).pipe(
      finalize(() => {
        if (state.target === target) state.target = undefined;
      }),
    );
  };

  const attempt = (session: TwilioSession & { sid: string }): Observable<DomainEvent> =>
    defer(() => {
      const client = options.createClient(session.token, { logLevel: options.sdkLogLevel ?? 'silent' });
      state.client = client;
      // A token the SDK refused is worth another fresh one (tokenRecovery counts them); no token at all is not.
      const refresh = () =>
        fetchToken().pipe(
          map(withToken),
          switchMap((fresh) =>
            from(client.updateToken(fresh.token)).pipe(
              catchError((error: unknown) => throwError(() => toServiceDeskError(error, 'AUTH_FAILED', `${port.vendor} did not take the new token.`, true))),
            ),
          ),
        );
      return decodeEmitter(client, clientDecoders, logger).pipe(
        connect((signals$) =>
          merge(
            connectionEvents(signals$, options.disconnectGraceMs ?? 2_000, scheduler),
            tokenRecovery(signals$, refresh, { attempts: tokenRetries + 1, timeoutMs: options.tokenTimeoutMs ?? 10_000, scheduler, vendor: port.vendor }),
            // Before init, a terminal error is the init failing (waitForInit reports it).
            waitForInit(signals$, port.vendor).pipe(
              switchMap(() => merge(fatalErrors(signals$, port.vendor), port.open(client, session.sid).pipe(switchMap((target) => chat(target, signals$))))),
            ),
          ),
        ),
        // Runs after the listeners above are removed, whether the attempt ended, failed or was unsubscribed.
        finalize(() => {
          if (state.client === client) state.client = undefined;
          shutdown(client, logger, port.vendor);
        }),
      );
    });

  const withTarget = (run: (target: Target) => Observable<unknown>): Observable<unknown> =>
    defer(() => {
      const target = state.target;
      if (!target) {
        return throwError(() => new ServiceDeskError('NOT_CONNECTED', `The ${port.vendor} chat is not connected yet.`, { retryable: true }));
      }
      return run(target);
    });

  // --- sending each user message once -------------------------------------------------------------------------
  /** Host ids of messages an attempt handed to the SDK without a delivery being known: they may have arrived. */
  const unsure = new Set<string>();
  /** Reads the latest page of history, noting our own messages in it: whether the message `id` is there. */
  const arrivedBefore = (target: Target, id: string): Observable<boolean> =>
    port.history(target, pageSize, logger, idAttribute).pipe(
      tap((message) => machine.noteOwn(message)),
      toArray(),
      map(() => machine.delivered(id)),
      catchError((error: unknown) =>
        throwError(
          () =>
            new ServiceDeskError('SEND_FAILED', `Could not check whether an earlier attempt already reached ${port.vendor}; not sending it blindly again.`, {
              retryable: true,
              cause: error,
            }),
        ),
      ),
    );
  /**
   * Sends a user message (or file) tagged with its host id, unless it is known to have arrived: its own echo or a
   * history read showed it. A retry after an attempt whose answer was lost first looks for it in the latest page of
   * history, so that a message that reached Twilio is not sent twice.
   */
  const sendOnce = (id: string, run: (target: Target, attributes: MessageAttributes) => PromiseLike<unknown>): Observable<unknown> =>
    withTarget((target) => {
      const known$ = machine.delivered(id) ? of(true) : unsure.has(id) ? arrivedBefore(target, id) : of(false);
      return known$.pipe(
        switchMap((known) => {
          if (known) {
            unsure.delete(id);
            logger.info(`${port.vendor}: a retried message had already arrived; not sent again`, { messageId: id });
            return of(undefined);
          }
          unsure.add(id);
          return defer(() => run(target, idAttributes(id))).pipe(
            tap((index) => {
              unsure.delete(id);
              machine.noteDelivered(id);
              machine.noteOwnMessage(index);
            }),
            catchError((error: unknown) => {
              const status = refusedStatus(error);
              if (status === undefined) return throwError(() => error);
              unsure.delete(id);
              return throwError(() => new ServiceDeskError('SEND_FAILED', `${port.vendor} refused it (status ${status}).`, { retryable: false, cause: error }));
            }),
          );
        }),
      );
    });

  return {
    events$: session$.pipe(
      tap((session) => machine.identify(session.identity)),
      switchMap(attempt),
    ),
    sendMessage: (message) => sendOnce(message.id, (target, attributes) => port.send(target, message.text, attributes)),
    sendFile: (file) => sendOnce(file.id, (target, attributes) => port.sendFile(target, file, attributes)),
    sendTyping: (isTyping) => (isTyping ? withTarget((target) => from(port.typing(target))) : of(undefined)),
    markRead: () =>
      defer(() => {
        const index = machine.lastShownIndex;
        return index === undefined ? of(undefined) : withTarget((target) => from(port.markRead(target, index)));
      }),
    end: () =>
      defer(() => {
        machine.leaving = true;
        const target = state.target;
        const session = state.session;
        const leave$ = target && options.leaveOnEnd !== false ? from(port.leave(target)) : of(undefined);
        const hook$ = session && options.onUserEnd ? defer(() => options.onUserEnd!(session)) : of(undefined);
        return concat(
          leave$.pipe(
            catchError((error: unknown) => {
              logger.warn(`${port.vendor}: leaving the chat failed`, { error });
              return of(undefined);
            }),
          ),
          hook$,
        ).pipe(ignoreElements());
      }),
  };
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
