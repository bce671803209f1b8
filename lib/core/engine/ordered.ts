import { Observable, type OperatorFunction, type SchedulerLike, type Subscription } from 'rxjs';
import type { Logger } from '../logger.js';

/** What a step of {@link inOrder} may do besides changing the state it closes over. */
export interface StepEffects<I, O> {
  /** Emits an output, after every output still pending. */
  emit(output: O): void;
  /** Emits the outputs of an asynchronous step (a profile lookup); the outputs after it wait until it completes. */
  later(outputs: Observable<O>): void;
  /**
   * Reads inputs that come before the live ones (a history read): live inputs wait until it completes, then the
   * inputs it produced are stepped first. An error is logged and ends the read.
   */
  hold(inputs: Observable<readonly I[]>): void;
  /** (Re)starts the timer `key`: `input` is stepped after `delayMs`. */
  arm(key: string, delayMs: number, input: I): void;
  /** Cancels the timer `key`. */
  disarm(key: string): void;
  /** Ends the stream with `error`. */
  fail(error: unknown): void;
}

/**
 * Steps each input through a plain function, in order, and keeps the order of the outputs when a step is
 * asynchronous. With nothing pending an input costs one function call and an output one `next` (no inner
 * subscription per value, see docs/performance.md); `later`, `hold` and the timers are the exceptions, for the rare
 * steps that wait. Unsubscribing cancels whatever is pending. A step that throws is logged and skipped.
 *
 * @example
 * frames$.pipe(inOrder((fx) => (frame) => fx.emit(decode(frame)), scheduler, logger))
 */
export function inOrder<I, O>(createStep: (effects: StepEffects<I, O>) => (input: I) => void, scheduler: SchedulerLike, logger: Logger): OperatorFunction<I, O> {
  return (source) =>
    new Observable<O>((subscriber) => inOrderInto(source, createStep, scheduler, logger, (output) => subscriber.next(output)).subscribe(subscriber));
}

/**
 * {@link inOrder} handing each output to `deliver`, a plain function call instead of a subscriber's `next`; the
 * returned observable is the lifecycle (it emits nothing). A `deliver` that throws ends it with that error, as
 * `consume` does.
 *
 * @example
 * inOrderInto(frames$, (fx) => (frame) => fx.emit(decode(frame)), scheduler, logger, show).subscribe();
 */
export function inOrderInto<I, O>(
  source: Observable<I>,
  createStep: (effects: StepEffects<I, O>) => (input: I) => void,
  scheduler: SchedulerLike,
  logger: Logger,
  deliver: (output: O) => void,
): Observable<never> {
  return new Observable<never>((subscriber) => {
    const outputs: (O | Observable<O>)[] = [];
    let waiting: Subscription | undefined;
    let pumping = false;
    /** The read in progress (see `hold`): live inputs wait while it is set. */
    let reading: object | undefined;
    let readSubscription: Subscription | undefined;
    let held: I[] = [];
    let sourceDone = false;
    /** The armed timers, by key: made at the first `arm` (most chats never arm one). */
    let timers: Map<string, Subscription> | undefined;
    const out = (output: O) => {
      try {
        deliver(output);
      } catch (error) {
        subscriber.error(error);
      }
    };

    const finishIfDone = () => {
      if (sourceDone && !waiting && !reading && outputs.length === 0) subscriber.complete();
    };
    const pump = () => {
      if (pumping) return;
      pumping = true;
      while (!waiting && outputs.length > 0) {
        const item = outputs.shift()!;
        if (!(item instanceof Observable)) {
          out(item);
          continue;
        }
        const done = () => {
          waiting = undefined;
          pump();
        };
        // Marked before subscribing: a step that completes at once must find it set.
        waiting = item.subscribe({
          next: out,
          error: (error: unknown) => {
            logger.warn('an asynchronous step failed and was skipped', { error });
            done();
          },
          complete: done,
        });
        if (waiting.closed) waiting = undefined;
      }
      pumping = false;
      finishIfDone();
    };
    const run = (input: I) => {
      try {
        step(input);
      } catch (error) {
        logger.warn('skipped an event that could not be processed', { error });
      }
    };
    const input = (value: I) => {
      if (reading) held.push(value);
      else run(value);
    };
    const effects: StepEffects<I, O> = {
      emit: (output) => {
        if (!waiting && outputs.length === 0) out(output);
        else outputs.push(output);
      },
      later: (work) => {
        outputs.push(work);
        pump();
      },
      hold: (work) => {
        const read = {};
        let first: readonly I[] = [];
        const release = () => {
          if (reading !== read) return;
          reading = undefined;
          readSubscription = undefined;
          const next = [...first, ...held];
          held = [];
          // A released input may start another read: the rest waits for it.
          for (let i = 0; i < next.length; i += 1) {
            if (reading) {
              held = [...next.slice(i), ...held];
              break;
            }
            run(next[i] as I);
          }
          finishIfDone();
        };
        reading = read;
        const subscription = work.subscribe({
          next: (inputs) => (first = [...first, ...inputs]),
          error: (error: unknown) => {
            logger.warn('a read before the live events failed; going on without it', { error });
            release();
          },
          complete: release,
        });
        if (reading === read) readSubscription = subscription;
      },
      arm: (key, delayMs, value) => {
        const armed = (timers ??= new Map());
        armed.get(key)?.unsubscribe();
        armed.set(
          key,
          scheduler.schedule(() => {
            armed.delete(key);
            input(value);
          }, delayMs),
        );
      },
      disarm: (key) => {
        // Called for most events (a message stops the typing timer): nothing to do is the common case.
        if (!timers?.size) return;
        timers.get(key)?.unsubscribe();
        timers.delete(key);
      },
      fail: (error) => subscriber.error(error),
    };
    const step = createStep(effects);
    const subscription = source.subscribe({
      next: input,
      error: (error: unknown) => subscriber.error(error),
      complete: () => {
        sourceDone = true;
        finishIfDone();
      },
    });
    return () => {
      subscription.unsubscribe();
      waiting?.unsubscribe();
      readSubscription?.unsubscribe();
      if (timers) for (const timer of timers.values()) timer.unsubscribe();
      timers?.clear();
      outputs.length = 0;
      held = [];
    };
  });
}
