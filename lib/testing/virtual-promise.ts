import type { SchedulerLike } from 'rxjs';

type Settled<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };

/**
 * A promise that settles synchronously (or at a time of a scheduler) instead of on the microtask queue, so that SDK
 * fakes can be driven in virtual time: `from(virtualPromise)` emits during `m.flush()`. It behaves like a Promise
 * for `then`, `catch` and `finally`, and adopts other thenables.
 *
 * @example
 * const answer = new VirtualPromise<number>();
 * const seen: number[] = [];
 * from(answer).subscribe((value) => seen.push(value));
 * answer.resolve(42); // seen is [42] at once
 */
export class VirtualPromise<T> implements PromiseLike<T> {
  #outcome: Settled<T> | undefined;
  #locked = false;
  readonly #waiting: (() => void)[] = [];

  /** Whether it has settled. */
  get settled(): boolean {
    return this.#outcome !== undefined;
  }

  /** Fulfils with a value (or follows a thenable). Later calls are ignored. */
  resolve(value: T | PromiseLike<T>): void {
    if (this.#locked) return;
    this.#locked = true;
    if (typeof (value as PromiseLike<T> | undefined)?.then === 'function') {
      (value as PromiseLike<T>).then(
        (inner) => this.#settle({ ok: true, value: inner }),
        (error: unknown) => this.#settle({ ok: false, error }),
      );
    } else this.#settle({ ok: true, value: value as T });
  }

  /** Rejects. Later calls are ignored. */
  reject(error: unknown): void {
    if (this.#locked) return;
    this.#locked = true;
    this.#settle({ ok: false, error });
  }

  then<A = T, B = never>(
    onFulfilled?: ((value: T) => A | PromiseLike<A>) | null,
    onRejected?: ((error: unknown) => B | PromiseLike<B>) | null,
  ): VirtualPromise<A | B> {
    const next = new VirtualPromise<A | B>();
    const run = () => {
      const outcome = this.#outcome!;
      try {
        if (outcome.ok) next.resolve(onFulfilled ? onFulfilled(outcome.value) : (outcome.value as unknown as A));
        else if (onRejected) next.resolve(onRejected(outcome.error));
        else next.reject(outcome.error);
      } catch (error) {
        next.reject(error);
      }
    };
    if (this.#outcome) run();
    else this.#waiting.push(run);
    return next;
  }

  catch<B = never>(onRejected?: ((error: unknown) => B | PromiseLike<B>) | null): VirtualPromise<T | B> {
    return this.then(undefined, onRejected);
  }

  finally(onFinally?: (() => void) | null): VirtualPromise<T> {
    return this.then(
      (value) => {
        onFinally?.();
        return value;
      },
      (error: unknown) => {
        onFinally?.();
        throw error;
      },
    );
  }

  #settle(outcome: Settled<T>): void {
    if (this.#outcome) return;
    this.#outcome = outcome;
    for (const run of this.#waiting.splice(0)) run();
  }
}

/** When an SDK fake's calls settle. */
export interface FakeTiming {
  /** Settle in this scheduler's time (a TestScheduler in marble tests). Without one, calls settle at once. */
  readonly scheduler?: SchedulerLike;
  /** How long each call takes, in ms (with a scheduler). Default 0. */
  readonly latencyMs?: number;
}

/**
 * A {@link VirtualPromise} that settles with the outcome of `run` after the fake's latency.
 *
 * @example
 * settleAfter({ scheduler, latencyMs: 5 }, () => 42) // fulfils with 42 five frames later
 */
export function settleAfter<T>(timing: FakeTiming, run: () => T | PromiseLike<T>): VirtualPromise<T> {
  const promise = new VirtualPromise<T>();
  const settle = () => {
    try {
      promise.resolve(run());
    } catch (error) {
      promise.reject(error);
    }
  };
  const delay = timing.latencyMs ?? 0;
  if (timing.scheduler && delay > 0) timing.scheduler.schedule(settle, delay);
  else settle();
  return promise;
}
