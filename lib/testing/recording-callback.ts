import { Subject, type Observable, type SchedulerLike } from 'rxjs';
import type { HostMethod } from '../core/host-calls.js';
import type { HostCallback } from '../host/types.js';

/** One recorded host callback call. */
export interface RecordedCall {
  readonly method: HostMethod | 'persistedState';
  readonly args: readonly unknown[];
  /** `scheduler.now()` (or `Date.now()`) when the call was made. */
  readonly at: number;
}

/** Options of {@link recordingCallback}. */
export interface RecordingCallbackOptions {
  /** `'carbon'` callbacks return thenables and keep persisted state; `'watsonx'` callbacks return nothing. */
  host?: 'carbon' | 'watsonx';
  /**
   * With a scheduler (a `TestScheduler` in marble tests), Carbon callbacks settle in its time, so ordering and
   * slowness can be asserted in virtual time. Without one they return real Promises.
   */
  scheduler?: SchedulerLike;
  /** How long each (Carbon) callback takes to settle, in ms. Default 0. */
  delayMs?: number | ((method: HostMethod) => number);
  /** Make a callback fail: return an Error to throw (watsonx) or reject with (Carbon). */
  fail?: (method: HostMethod, args: readonly unknown[]) => Error | undefined;
  /** The state returned by `persistedState()` at the start (hosts that keep persisted state). */
  persistedState?: unknown;
  /**
   * Whether the host keeps persisted state (`persistedState` / `updatePersistedState`). Default: only `'carbon'`.
   * `{ host: 'watsonx', persists: true }` is a watsonx web chat 8.x or Carbon AI Chat 0.x callback.
   */
  persists?: boolean;
  /**
   * Give the host screen sharing (`screenShareRequest` / `screenShareEnded`): the user's answer to a request and
   * after how long (in the scheduler's time), or `'never'` (a headless host). Default: the host has no screen sharing.
   */
  screenShare?: { answer: 'accepted' | 'declined' | 'cancelled' | 'ended'; afterMs?: number } | 'never';
}

/** A host callback that records every call, for tests. */
export interface RecordingCallback {
  readonly callback: HostCallback;
  /** Every call so far, in order. */
  readonly calls: RecordedCall[];
  /** Every call as it happens. */
  readonly calls$: Observable<RecordedCall>;
  /** The method names called so far, in order. */
  methods(): string[];
  /** The calls of one method so far. */
  callsOf(method: HostMethod): RecordedCall[];
  /** Carbon: the persisted state as the host stores it (merged like Carbon does, one level deep). */
  readonly persisted: unknown;
  /** Forgets the calls recorded so far. */
  clear(): void;
}

const METHODS: readonly HostMethod[] = [
  'updateAgentAvailability',
  'agentJoined',
  'agentReadMessages',
  'agentTyping',
  'sendMessageToUser',
  'beginTransferToAnotherAgent',
  'agentLeftChat',
  'agentEndedChat',
  'setErrorStatus',
  'setFileUploadStatus',
  'updateCapabilities',
];

/** A thenable that settles in the given scheduler's time (synchronously when the delay is 0). */
function scheduledThenable(scheduler: SchedulerLike, delay: number, error: Error | undefined): PromiseLike<void> {
  return {
    then(onFulfilled, onRejected) {
      const settle = () => (error ? onRejected?.(error) : onFulfilled?.(undefined));
      if (delay > 0) scheduler.schedule(settle, delay);
      else settle();
      return this as unknown as PromiseLike<never>;
    },
  };
}

/**
 * A fake host callback for watsonx web chat or Carbon AI Chat that records each call with its time, and can be made
 * slow or failing. Shipped for your own tests.
 *
 * @example
 * const host = recordingCallback({ host: 'carbon', scheduler: testScheduler, delayMs: 5 });
 * const desk = createServiceDesk(adapter, { callback: host.callback }, { scheduler: testScheduler });
 * // ... later
 * expect(host.methods()).toEqual(['agentJoined', 'sendMessageToUser']);
 */
export function recordingCallback(options: RecordingCallbackOptions = {}): RecordingCallback {
  const host = options.host ?? 'carbon';
  const calls: RecordedCall[] = [];
  const calls$ = new Subject<RecordedCall>();
  let persisted: unknown = options.persistedState;
  const now = () => options.scheduler?.now() ?? Date.now();
  const delayOf = (method: HostMethod) =>
    typeof options.delayMs === 'function' ? options.delayMs(method) : (options.delayMs ?? 0);

  const record = (method: RecordedCall['method'], args: readonly unknown[]) => {
    const entry = { method, args, at: now() };
    calls.push(entry);
    calls$.next(entry);
  };

  const callback: Record<string, unknown> = {};
  for (const method of METHODS) {
    callback[method] = (...args: unknown[]) => {
      record(method, args);
      const error = options.fail?.(method, args);
      if (host === 'watsonx') {
        if (error) throw error;
        return undefined;
      }
      const delay = delayOf(method);
      if (options.scheduler) return scheduledThenable(options.scheduler, delay, error);
      return new Promise<void>((resolve, reject) => setTimeout(() => (error ? reject(error) : resolve()), delay));
    };
  }
  const { screenShare } = options;
  if (screenShare) {
    callback.screenShareRequest = () => {
      record('screenShareRequest', []);
      if (screenShare === 'never') return new Promise<never>(() => undefined);
      return {
        then(onFulfilled: (value: string) => unknown) {
          const answer = () => onFulfilled(screenShare.answer);
          if (options.scheduler && screenShare.afterMs) options.scheduler.schedule(answer, screenShare.afterMs);
          else answer();
        },
      };
    };
    callback.screenShareEnded = () => void record('screenShareEnded', []);
  }
  if (options.persists ?? host === 'carbon') {
    callback.persistedState = () => persisted;
    callback.updatePersistedState = (state: unknown, mergeWithCurrent = true) => {
      record('updatePersistedState', [state, mergeWithCurrent]);
      persisted =
        mergeWithCurrent && typeof persisted === 'object' && persisted !== null && typeof state === 'object'
          ? { ...persisted, ...state }
          : state;
    };
  }

  return {
    callback: callback as unknown as HostCallback,
    calls,
    calls$: calls$.asObservable(),
    methods: () => calls.map((entry) => entry.method),
    callsOf: (method) => calls.filter((entry) => entry.method === method),
    get persisted() {
      return persisted;
    },
    clear: () => void calls.splice(0, calls.length),
  };
}
