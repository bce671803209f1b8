import {
  distinctUntilChanged,
  exhaustMap,
  filter,
  ignoreElements,
  map,
  mergeMap,
  of,
  skip,
  skipWhile,
  startWith,
  switchMap,
  take,
  tap,
  throwError,
  timer,
  type Observable,
  type SchedulerLike,
} from 'rxjs';
import type { Decoders } from '../../core/emitter.js';
import { ServiceDeskError } from '../../core/errors.js';
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
 * failure is terminal).
 *
 * @example
 * waitForInit(signals$, 'Twilio Conversations').pipe(switchMap(() => openConversation()))
 */
export function waitForInit(signals$: Observable<ClientSignal>, vendor: string): Observable<void> {
  return signals$.pipe(
    filter((signal): signal is Extract<ClientSignal, { kind: 'init' }> => signal.kind === 'init'),
    take(1),
    mergeMap((signal) =>
      signal.ok
        ? of(undefined)
        : throwError(
            () =>
              new ServiceDeskError('CONNECT_FAILED', `The ${vendor} client failed to initialise${signal.message ? ` (${signal.message})` : ''}: check the token and the chat service.`, {
                retryable: signal.terminal !== true,
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
 * Errors (not retryable) when the SDK reports a terminal connection error: twilsock has given up.
 *
 * @example
 * merge(main$, fatalErrors(signals$, 'Twilio Programmable Chat'))
 */
export function fatalErrors(signals$: Observable<ClientSignal>, vendor: string): Observable<never> {
  return signals$.pipe(
    filter((signal): signal is Extract<ClientSignal, { kind: 'error' }> => signal.kind === 'error' && signal.terminal),
    take(1),
    mergeMap((signal) =>
      throwError(
        () => new ServiceDeskError('CONNECTION_LOST', `${vendor} closed the connection for good (${signal.message}). Start a new chat.`, { retryable: false }),
      ),
    ),
  );
}

/**
 * Refreshes the token whenever the SDK asks (`tokenAboutToExpire`, `tokenExpired`, state `denied`), one refresh at
 * a time. `refresh` must error with a non-retryable error when no token can be had. A token that is denied again
 * and again (`maxDenied` times without being connected in between) ends the chat.
 *
 * @example
 * tokenRefresh(signals$, () => fetchToken().pipe(switchMap(t => client.updateToken(t.token))), 2, 'Twilio Conversations')
 */
export function tokenRefresh(
  signals$: Observable<ClientSignal>,
  refresh: () => Observable<unknown>,
  maxDenied: number,
  vendor: string,
): Observable<never> {
  let denied = 0;
  return signals$.pipe(
    tap((signal) => {
      if (signal.kind === 'state' && signal.state === 'connected') denied = 0;
    }),
    filter((signal) => signal.kind === 'token' || (signal.kind === 'state' && signal.state === 'denied')),
    mergeMap((signal) => {
      if (signal.kind !== 'state') return of(signal);
      denied += 1;
      return denied > maxDenied
        ? throwError(
            () => new ServiceDeskError('AUTH_FAILED', `${vendor} rejected the token ${denied} times: check how the middleware mints it (identity, chat grant, service sid).`),
          )
        : of(signal);
    }),
    exhaustMap(() => refresh()),
    ignoreElements(),
  );
}

