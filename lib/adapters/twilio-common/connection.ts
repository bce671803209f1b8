import { EMPTY, distinctUntilChanged, filter, map, mergeMap, of, scan, skip, skipWhile, switchMap, take, throwError, timer, type Observable, type SchedulerLike } from 'rxjs';
import type { Decoders } from '../../core/emitter.js';
import type { AdapterEvent } from '../../core/engine/port.js';
import { ServiceDeskError } from '../../core/errors.js';

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
 * Maps connection states after the client was first connected to `connectionLost` / `connectionRestored`: a drop is
 * reported only when it lasts `graceMs` (so a flapping connection stays quiet), and every return is reported (the
 * engine then reads the history the SDK may have missed meanwhile, after a drop of any length).
 *
 * @example
 * connectionEvents(signals$, 2_000, scheduler) // connectionLost after 2 s down, connectionRestored when back
 */
export function connectionEvents(signals$: Observable<ClientSignal>, graceMs: number, scheduler: SchedulerLike): Observable<AdapterEvent<never>> {
  return signals$.pipe(
    map(upOf),
    filter((up): up is boolean => up !== undefined),
    skipWhile((up) => !up),
    distinctUntilChanged(),
    skip(1),
    switchMap((up) =>
      up
        ? of<AdapterEvent<never>>({ type: 'connectionRestored' })
        : graceMs > 0
          ? timer(graceMs, scheduler).pipe(map((): AdapterEvent<never> => ({ type: 'connectionLost', reason: 'Twilio connection dropped' })))
          : of<AdapterEvent<never>>({ type: 'connectionLost', reason: 'Twilio connection dropped' }),
    ),
  );
}

/**
 * Errors (not retryable) when the SDK reports a terminal connection error: twilsock has given up. Not while the
 * client is `denied`: twilsock reports a refused token with a terminal error too (twilsock `twilsock.js:576-590`), and
 * a fresh token cures it (see {@link tokenNeeded}).
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

const STUCK_STATES = new Set(['denied', 'disconnected']);

/**
 * Whether a connection state is one twilsock does not leave by itself (`denied`, `disconnected`): only a new token
 * connects again (twilsock `twilsock.js:142,259-263`).
 *
 * @example
 * isStuck('disconnected'); // true
 * isStuck('connecting'); // false: twilsock retries by itself
 */
export function isStuck(state: string): boolean {
  return STUCK_STATES.has(state);
}

/**
 * Emits each time the client needs a fresh token: `'aboutToExpire'` (a routine refresh while connected), or
 * `'stuck'` when the desk refused the token (`denied`, which twilsock reports with a terminal `connectionError`) or
 * the client was cut off (`disconnected`: after an expired token's close, which comes with `tokenExpired`, or a 401
 * close, which comes with nothing; twilsock `twilsock.js:497-507`). `tokenExpired` itself is not a trigger:
 * `disconnected` or `denied` come with it.
 *
 * @example
 * tokenNeeded(signals$).pipe(filter((need) => need === 'stuck'), map(() => ({ type: 'tokenExpiring' })))
 */
export function tokenNeeded(signals$: Observable<ClientSignal>): Observable<'aboutToExpire' | 'stuck'> {
  return signals$.pipe(
    mergeMap((signal) =>
      signal.kind === 'token' && signal.reason === 'aboutToExpire'
        ? of('aboutToExpire' as const)
        : signal.kind === 'state' && isStuck(signal.state)
          ? of('stuck' as const)
          : EMPTY,
    ),
  );
}
