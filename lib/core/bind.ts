import type { Observable } from 'rxjs';
import type { HostCallback, HostMessageResponse } from '../host/types.js';
import type { HostCall, HostMethod } from './host-calls.js';
import type { Logger } from './logger.js';

/** Options of {@link createBinder} and {@link bind}. */
export interface BindOptions {
  logger: Logger;
  /** Called once the calls have ended and every call has been made (or the binder was muted). */
  onComplete?: () => void;
}

/** The serial caller of host callbacks. */
export interface Binder {
  /** Makes a call now if nothing is pending, or queues it behind the pending one. */
  push(call: HostCall): void;
  /**
   * {@link Binder.push} of `sendMessageToUser(message)`, or `(message, agentId)` when `agentId` is defined, without
   * building the call object when nothing is pending (the hot path).
   */
  message(message: HostMessageResponse | string, agentId?: string): void;
  /** {@link Binder.push} of `agentTyping(isTyping)`, likewise. */
  typing(isTyping: boolean): void;
  /** No more calls will come: `onComplete` runs once the queue is empty. */
  complete(): void;
  /** Stops calling the host at once: queued calls are dropped, a pending callback is no longer waited for. */
  mute(): void;
}

/** A running {@link bind}. */
export interface Binding {
  /** See {@link Binder.mute}; the source stays subscribed until it completes. */
  mute(): void;
  /** Mutes and unsubscribes the source (which tears the session down). */
  unsubscribe(): void;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as PromiseLike<unknown>).then === 'function';
}

/**
 * Calls host callbacks one at a time, in the order pushed, awaiting each returned Promise before making the next
 * call (Carbon AI Chat renders out of order otherwise). When nothing is pending a call is made synchronously, so a
 * host whose callbacks return nothing (watsonx web chat) pays no scheduling cost. A callback that throws or rejects
 * is logged and the next call goes ahead.
 *
 * @example
 * const binder = createBinder(params.callback, { logger });
 * binder.push({ method: 'agentJoined', args: [{ id: 'a1', nickname: 'Ann', user_type: 'human' }] });
 */
export function createBinder(callback: HostCallback, options: BindOptions): Binder {
  const { logger } = options;
  let queue: HostCall[] = [];
  let head = 0;
  let busy = false;
  let muted = false;
  let completed = false;
  let finished = false;

  const finish = () => {
    if (finished) return;
    finished = true;
    options.onComplete?.();
  };

  const fail = (method: string, error: unknown) => logger.error(`host callback ${method} failed`, { error });

  const settled = () => {
    busy = false;
    drain();
  };

  const invoke = (next: HostCall) => {
    const fn = callback[next.method] as ((...args: unknown[]) => unknown) | undefined;
    if (typeof fn !== 'function') {
      logger.debug(`host has no ${next.method}; skipped`);
      next.settled?.({ missing: true });
      return;
    }
    let result: unknown;
    try {
      result = fn.apply(callback, next.args as unknown[]);
    } catch (error) {
      fail(next.method, error);
      next.settled?.({ error });
      return;
    }
    if (isThenable(result)) awaited(next, result);
    else next.settled?.({ value: result });
  };

  /** A call whose callback returned a promise: the next calls wait for it, unless the call is detached. */
  const awaited = (next: HostCall, result: PromiseLike<unknown>) => {
    if (next.detached) {
      // Not awaited in line (a modal that waits for the user): the next calls go ahead; the outcome comes later.
      result.then(
        (value) => !muted && next.settled?.({ value }),
        (error: unknown) => !muted && next.settled?.({ error }),
      );
      return;
    }
    busy = true;
    result.then(
      (value) => {
        if (muted) return;
        next.settled?.({ value });
        settled();
      },
      (error: unknown) => {
        if (muted) return;
        fail(next.method, error);
        next.settled?.({ error });
        settled();
      },
    );
  };

  /** The call as data, for the queue and the slow paths. */
  const asCall = (method: HostMethod, first: unknown, second: unknown) =>
    ({ method, args: second === undefined ? [first] : [first, second] }) as HostCall;

  const drain = () => {
    while (!busy && !muted && head < queue.length) {
      const next = queue[head++] as HostCall;
      if (head === queue.length) {
        queue = [];
        head = 0;
      }
      invoke(next);
    }
    if (!busy && completed && head >= queue.length) finish();
  };

  const push = (next: HostCall) => {
    if (muted || completed) return;
    if (busy || head < queue.length) queue.push(next);
    else invoke(next);
  };

  /**
   * A call of one argument, or two when `second` is defined, made at once without a call object when nothing is
   * pending. `fn` is the callback's method, read by name by the caller: a lookup by a variable method name is a slow
   * (megamorphic) property read in V8, on every agent message.
   */
  const direct = <A, B>(method: HostMethod, fn: ((first: A, second?: B) => unknown) | undefined, first: A, second?: B) => {
    if (muted || completed) return;
    if (busy || head < queue.length || typeof fn !== 'function') {
      push(asCall(method, first, second));
      return;
    }
    let result: unknown;
    try {
      result = second === undefined ? fn.call(callback, first) : fn.call(callback, first, second);
    } catch (error) {
      fail(method, error);
      return;
    }
    if (isThenable(result)) awaited(asCall(method, first, second), result);
  };

  return {
    push,
    message: (message, agentId) => direct('sendMessageToUser', callback.sendMessageToUser, message, agentId),
    typing: (isTyping) => direct('agentTyping', callback.agentTyping, isTyping),
    complete() {
      completed = true;
      if (muted) finish();
      else drain();
    },
    mute() {
      muted = true;
      queue = [];
      head = 0;
      if (completed) finish();
    },
  };
}

/**
 * Binds a stream of host calls to a host callback through a {@link createBinder}: the one subscriber of a custom
 * integration. Returns the binding, to mute or unsubscribe.
 *
 * @example
 * const binding = bind(calls$, params.callback, { logger });
 * // later
 * binding.unsubscribe();
 */
export function bind(calls$: Observable<HostCall>, callback: HostCallback, options: BindOptions): Binding {
  const binder = createBinder(callback, options);
  const subscription = calls$.subscribe({
    next: (call) => binder.push(call),
    error: (error: unknown) => {
      // Session pipelines turn failures into events; reaching here is a bug in a custom stream.
      options.logger.error('the session stream failed', { error });
      binder.complete();
    },
    complete: () => binder.complete(),
  });
  return {
    mute: () => binder.mute(),
    unsubscribe: () => {
      binder.mute();
      subscription.unsubscribe();
      binder.complete();
    },
  };
}
