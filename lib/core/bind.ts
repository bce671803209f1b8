import type { Observable } from 'rxjs';
import type { HostCallback } from '../host/types.js';
import type { HostCall } from './host-calls.js';
import type { Logger } from './logger.js';

/** Options of {@link bind}. */
export interface BindOptions {
  logger: Logger;
  /** Called once the call stream has completed and every call has been made (or the binding was muted). */
  onComplete?: () => void;
}

/** A running binding. */
export interface Binding {
  /** Stops calling the host at once: queued calls are dropped; the source stays subscribed until it completes. */
  mute(): void;
  /** Mutes and unsubscribes the source (which tears the session down). */
  unsubscribe(): void;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as PromiseLike<unknown>).then === 'function';
}

/**
 * The one subscriber: calls host callbacks in the order of `calls$`, awaiting each returned Promise before making
 * the next call (Carbon AI Chat renders out of order otherwise). When nothing is pending a call is made synchronously,
 * so a host whose callbacks return nothing (watsonx web chat) pays no scheduling cost. A callback that throws or
 * rejects is logged and the next call goes ahead.
 *
 * @example
 * const binding = bind(calls$, params.callback, { logger });
 * // later
 * binding.unsubscribe();
 */
export function bind(calls$: Observable<HostCall>, callback: HostCallback, options: BindOptions): Binding {
  const { logger } = options;
  let queue: HostCall[] = [];
  let head = 0;
  let busy = false;
  let muted = false;
  let sourceDone = false;
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

  // Makes one call; true when it returned a Promise we must wait for.
  const invoke = (next: HostCall): boolean => {
    const fn = callback[next.method] as ((...args: unknown[]) => unknown) | undefined;
    if (typeof fn !== 'function') {
      logger.debug(`host has no ${next.method}; skipped`);
      return false;
    }
    let result: unknown;
    try {
      result = fn.apply(callback, next.args as unknown[]);
    } catch (error) {
      fail(next.method, error);
      return false;
    }
    if (!isThenable(result)) return false;
    busy = true;
    result.then(
      () => !muted && settled(),
      (error: unknown) => {
        if (muted) return;
        fail(next.method, error);
        settled();
      },
    );
    return true;
  };

  const drain = () => {
    while (!busy && !muted && head < queue.length) {
      const next = queue[head++] as HostCall;
      if (head === queue.length) {
        queue = [];
        head = 0;
      }
      invoke(next);
    }
    if (!busy && sourceDone && head >= queue.length) finish();
  };

  const done = () => {
    sourceDone = true;
    if (muted) finish();
    else drain();
  };

  const subscription = calls$.subscribe({
    next: (next) => {
      if (muted) return;
      if (busy || head < queue.length) queue.push(next);
      else invoke(next);
    },
    error: (error: unknown) => {
      // The session pipeline turns failures into events; reaching here is a bug in a custom stream.
      logger.error('the session stream failed', { error });
      done();
    },
    complete: () => done(),
  });

  const mute = () => {
    muted = true;
    queue = [];
    head = 0;
    if (sourceDone) finish();
  };

  return {
    mute,
    unsubscribe: () => {
      mute();
      subscription.unsubscribe();
      finish();
    },
  };
}
