import {
  catchError,
  concat,
  defer,
  distinctUntilChanged,
  exhaustMap,
  filter,
  ignoreElements,
  map,
  mergeMap,
  of,
  retry,
  scan,
  skip,
  skipWhile,
  startWith,
  switchMap,
  take,
  tap,
  throwError,
  timeout,
  timer,
  type Observable,
  type SchedulerLike,
} from 'rxjs';
import type { Decoders } from '../../core/emitter.js';
import { DEFAULT_RETRY_POLICY, backoffDelay } from '../../core/backoff.js';
import { ServiceDeskError, isRetryable } from '../../core/errors.js';
import type { DomainEvent } from '../../core/events.js';

/** A client-level SDK event, decoded. */
export type ClientSignal =
  | { readonly kind: 'init'; readonly ok: boolean; readonly terminal?: boolean; readonly message?: string }
  | { readonly kind: 'state'; readonly state: string }
  | { readonly kind: 'error'; readonly terminal: boolean; readonly message: string }
  | { readonly kind: 'token'; readonly reason: 'aboutToExpire' | 'expired' }
  /** We were removed from a channel/conversation, or it was removed. */
  | { readonly kind: 'removed'; readonly sid: string };

/** Connection states (twilsock 0.12 and 1.x) in which the chat cannot send or receive. */
const DOWN_STATES = new Set(['connecting', 'disconnecting', 'disconnected', 'retrying', 'error', 'denied']);

/**
 * Decoders of the client events both Twilio SDKs share: connection state, connection errors, token expiry.
 *
 * @example
 * decodeEmitter(client, { ...sharedClientDecoders, ...initDecoders }, logger)
 */
export const sharedClientDecoders: Decoders<ClientSignal> = {
  connectionStateChanged: (state: unknown) => (typeof state === 'string' ? { kind: 'state', state } : undefined),
  connectionError: (error: { terminal?: unknown; message?: unknown } | null | undefined) => ({
    kind: 'error',
    terminal: error?.terminal === true,
    message: typeof error?.message === 'string' ? error.message : 'unknown connection error',
  }),
  tokenAboutToExpire: () => ({ kind: 'token', reason: 'aboutToExpire' }),
  tokenExpired: () => ({ kind: 'token', reason: 'expired' }),
};

/**
 * Decoders for "we were removed" client events (`channelLeft`, `conversationRemoved`, …): each payload is the
 * channel/conversation, reduced to its sid.
 *
 * @example
 * removedDecoders(['channelLeft', 'channelRemoved'])
 */
export function removedDecoders(events: readonly string[]): Decoders<ClientSignal> {
  const decode = (target: { sid?: unknown } | null | undefined): ClientSignal | undefined =>
    typeof target?.sid === 'string' ? { kind: 'removed', sid: target.sid } : undefined;
  return Object.fromEntries(events.map((event) => [event, decode]));
}

/**
 * Waits for the client to initialise: completes on success, errors on failure (retryable unless the SDK says the
 * failure is terminal, in the init event or in the `connectionError` both clients relay just before it:
 * twilio-chat `client.js:233,249-252`, conversations `client.js:248,269-272`).
 *
 * @example
 * waitForInit(signals$, 'Twilio Conversations').pipe(switchMap(() => openConversation()))
 */
export function waitForInit(signals$: Observable<ClientSignal>, vendor: string): Observable<void> {
  return signals$.pipe(
    scan((last: { terminal: boolean; signal?: ClientSignal }, signal) => ({ terminal: signal.kind === 'error' ? signal.terminal : last.terminal, signal }), { terminal: false }),
    filter((step): step is { terminal: boolean; signal: Extract<ClientSignal, { kind: 'init' }> } => step.signal?.kind === 'init'),
    take(1),
    mergeMap(({ terminal, signal }) =>
      signal.ok
        ? of(undefined)
        : throwError(
            () =>
              new ServiceDeskError('CONNECT_FAILED', `The ${vendor} client failed to initialise${signal.message ? ` (${signal.message})` : ''}: check the token and the chat service.`, {
                retryable: !terminal && signal.terminal !== true,
              }),
          ),
    ),
  );
}

/** Whether a signal says the client is up (`true`), down (`false`), or nothing about it. */
function upOf(signal: ClientSignal): boolean | undefined {
  if (signal.kind === 'init') return signal.ok ? true : undefined;
  if (signal.kind !== 'state') return undefined;
  if (signal.state === 'connected') return true;
  return DOWN_STATES.has(signal.state) ? false : undefined;
}

/**
 * Maps connection states to `connectionLost` / `connectionRestored`. A drop is reported only when it lasts
 * `graceMs` (so a flapping connection stays quiet); nothing is reported before the client was first connected.
 *
 * @example
 * connectionEvents(signals$, 2_000, scheduler) // connectionLost after 2 s down, connectionRestored when back
 */
export function connectionEvents(signals$: Observable<ClientSignal>, graceMs: number, scheduler: SchedulerLike): Observable<DomainEvent> {
  return signals$.pipe(
    map(upOf),
    filter((up): up is boolean => up !== undefined),
    skipWhile((up) => !up),
    distinctUntilChanged(),
    switchMap((up) =>
      up
        ? of<DomainEvent>({ type: 'connectionRestored' })
        : graceMs > 0
          ? timer(graceMs, scheduler).pipe(map((): DomainEvent => ({ type: 'connectionLost', reason: 'Twilio connection dropped' })))
          : of<DomainEvent>({ type: 'connectionLost', reason: 'Twilio connection dropped' }),
    ),
  );
}

/**
 * Emits each time the connection comes back after it went down (a drop of any length, a denied token taken again),
 * for a client that is connected when this is subscribed: the moments when the SDK may have missed events.
 *
 * @example
 * connectionRestores(signals$).pipe(concatMap(() => readHistoryAgain()))
 */
export function connectionRestores(signals$: Observable<ClientSignal>): Observable<void> {
  return signals$.pipe(
    map(upOf),
    filter((up): up is boolean => up !== undefined),
    startWith(true),
    distinctUntilChanged(),
    filter(Boolean),
    skip(1),
    map(() => undefined),
  );
}

/**
 * Errors (not retryable) when the SDK reports a terminal connection error: twilsock has given up. Not while the
 * client is `denied`: twilsock reports a refused token with a terminal error too (twilsock `twilsock.js:576-590`), and
 * a fresh token cures it (see {@link tokenRecovery}).
 *
 * @example
 * merge(main$, fatalErrors(signals$, 'Twilio Programmable Chat'))
 */
export function fatalErrors(signals$: Observable<ClientSignal>, vendor: string): Observable<never> {
  return signals$.pipe(
    scan((last: { state: string; signal?: ClientSignal }, signal) => ({ state: signal.kind === 'state' ? signal.state : last.state, signal }), { state: 'unknown' }),
    filter(({ state, signal }) => signal?.kind === 'error' && signal.terminal && state !== 'denied'),
    take(1),
    mergeMap(({ signal }) =>
      throwError(
        () =>
          new ServiceDeskError('CONNECTION_LOST', `${vendor} closed the connection for good (${signal?.kind === 'error' ? signal.message : ''}). Start a new chat.`, {
            retryable: false,
          }),
      ),
    ),
  );
}

/** Settings of {@link tokenRecovery}. */
export interface TokenRecoveryOptions {
  /** Refreshes in a row that may fail before the chat ends. */
  readonly attempts: number;
  /** Longest wait for one refresh: the new token taken and, when the client was cut off, connected again. */
  readonly timeoutMs: number;
  readonly scheduler: SchedulerLike;
  readonly vendor: string;
}

/** States twilsock does not leave by itself: only a new token connects again (twilsock `twilsock.js:142,259-263`). */
const STUCK_STATES = new Set(['denied', 'disconnected']);

/**
 * Gives the client a fresh token whenever it needs one, one refresh at a time: the token is about to expire, the desk
 * refused it (`denied`), or the client was cut off (`disconnected`: after an expired token's close, which comes with
 * `tokenExpired`, or a 401 close, which comes with nothing; twilsock `twilsock.js:497-507`). A refresh fails when
 * `refresh` errors with a retryable error (the SDK refused the token), does not finish within `timeoutMs`, or leaves
 * the client cut off; it is tried again after a backoff, and after `attempts` failures in a row the chat ends. A
 * non-retryable error of `refresh` (no token to be had) ends it at once. Signals that come during a refresh are not
 * lost: the refresh is only done when the client is connected again.
 *
 * @example
 * tokenRecovery(signals$, () => fetchToken().pipe(switchMap(t => client.updateToken(t.token))), { attempts: 3, timeoutMs: 10_000, scheduler, vendor })
 */
export function tokenRecovery(signals$: Observable<ClientSignal>, refresh: () => Observable<unknown>, options: TokenRecoveryOptions): Observable<never> {
  const { attempts, timeoutMs, scheduler, vendor } = options;
  return defer(() => {
    let state = 'unknown';
    const track$ = signals$.pipe(
      tap((signal) => {
        if (signal.kind === 'state') state = signal.state;
      }),
    );
    const connected$ = signals$.pipe(filter((signal) => signal.kind === 'state' && signal.state === 'connected'));
    // The refresh starts after the signal has reached every listener: an SDK that answers at once must not connect
    // again before the others heard that it was cut off.
    const once$ = concat(
      timer(0, scheduler).pipe(switchMap(refresh), ignoreElements()),
      defer(() => (STUCK_STATES.has(state) ? connected$ : of(undefined))),
    ).pipe(
      take(1),
      timeout({
        first: timeoutMs,
        scheduler,
        with: () => throwError(() => new ServiceDeskError('AUTH_FAILED', `${vendor} was not connected again with a fresh token within ${timeoutMs} ms.`, { retryable: true })),
      }),
      retry({
        count: attempts - 1,
        delay: (error: unknown, attempt: number) =>
          isRetryable(error) ? timer(backoffDelay(attempt, DEFAULT_RETRY_POLICY, () => 0), scheduler) : throwError(() => error),
      }),
      catchError((error: unknown) =>
        throwError(() =>
          isRetryable(error)
            ? new ServiceDeskError('AUTH_FAILED', `${vendor} did not take a fresh token ${attempts} times in a row: check how the middleware mints it (identity, chat grant, service sid).`, {
                cause: error,
                retryable: false,
              })
            : error,
        ),
      ),
    );
    const needed$ = track$.pipe(
      filter((signal) => (signal.kind === 'token' && signal.reason === 'aboutToExpire') || (signal.kind === 'state' && STUCK_STATES.has(signal.state))),
    );
    return needed$.pipe(
      exhaustMap(() => once$),
      ignoreElements(),
    );
  });
}
