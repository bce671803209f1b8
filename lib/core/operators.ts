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
