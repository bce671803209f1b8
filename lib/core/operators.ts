import { Observable, type OperatorFunction } from 'rxjs';

/**
 * A step of {@link flatScan}: reads one input, may update the state it closes over, and pushes zero or more
 * outputs through `emit`.
 */
export type FlatScanStep<I, O> = (input: I, emit: (output: O) => void) => void;

/**
 * A stateful one-to-many map: for each input, `createStep()`'s step pushes any number of outputs, in order, at once.
 * `createStep` runs per subscription, so each subscriber gets its own state (like `scan` with a seed). It is
 * `scan` + `mergeMap(array)` without an inner subscription per value, which matters on the per-event path.
 *
 * @example
 * const dedupe = flatScan<string, string>(() => {
 *   const seen = new Set<string>();
 *   return (id, emit) => { if (!seen.has(id)) { seen.add(id); emit(id); } };
 * });
 */
export function flatScan<I, O>(createStep: () => FlatScanStep<I, O>): OperatorFunction<I, O> {
  return (source) =>
    new Observable<O>((subscriber) => {
      const step = createStep();
      const emit = (output: O) => subscriber.next(output);
      // An operator subscribes to its source, as every RxJS operator does; the application-level subscriber is
      // the binder (lib/core/bind.ts).
      return source.subscribe({
        next: (input) => {
          try {
            step(input, emit);
          } catch (error) {
            subscriber.error(error);
          }
        },
        error: (error) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
    });
}

/**
 * Hands every value to `next` and emits nothing; errors and completion pass through. It is how the session's hot
 * path leaves RxJS after one hop: the values go on as plain function calls, while the lifecycle (retries,
 * teardown) stays in the observable.
 *
 * @example
 * vendorEvents$.pipe(consume((event) => process(event))) // completes when the vendor stream completes
 */
export function consume<T>(next: (value: T) => void): OperatorFunction<T, never> {
  return (source) =>
    new Observable<never>((subscriber) =>
      source.subscribe({
        next: (value) => {
          try {
            next(value);
          } catch (error) {
            subscriber.error(error);
          }
        },
        error: (error) => subscriber.error(error),
        complete: () => subscriber.complete(),
      }),
    );
}

/** Where a {@link deliverable} observable keeps its `into`. */
const INTO = Symbol('into');

/** An observable that can also hand its values to a plain function: see {@link deliverable}. */
type Deliverable<T> = Observable<T> & { readonly [INTO]: (deliver: (value: T) => void) => Observable<never> };

/**
 * The observable of the values `into` hands to its `deliver`, which keeps `into` for {@link consumeInto}: a producer
 * that already calls a function per value (the engine's ordered step) then hands its values on with no observable
 * hop between them. `into` returns the lifecycle (it emits nothing); a `deliver` that throws must end it with that
 * error, as {@link consume} does.
 *
 * @example
 * const ticks$ = deliverable<number>((deliver) => new Observable<never>(() => { deliver(1); }));
 * consumeInto(ticks$, show).subscribe(); // show(1), with no subscriber between
 */
export function deliverable<T>(into: (deliver: (value: T) => void) => Observable<never>): Observable<T> {
  const values = new Observable<T>((subscriber) => into((value) => subscriber.next(value)).subscribe(subscriber));
  return Object.assign(values, { [INTO]: into }) satisfies Deliverable<T>;
}

/**
 * `source.pipe(consume(next))`, or, when `source` is {@link deliverable}, its values handed to `next` directly.
 *
 * @example
 * consumeInto(adapterSession.events$, process).subscribe();
 */
export function consumeInto<T>(source: Observable<T>, next: (value: T) => void): Observable<never> {
  const into = (source as Partial<Deliverable<T>>)[INTO];
  return typeof into === 'function' ? into(next) : source.pipe(consume(next));
}
