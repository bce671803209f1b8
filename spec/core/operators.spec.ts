import { Observable, Subject, map, of, throttleTime } from 'rxjs';
import { marbles } from 'rxjs-marbles/jest';
import { consumeInto, deliverable, onFirstUse } from '../../lib/core/operators';

describe('onFirstUse', () => {
  it(
    'gives the values, order and timing of the pipeline built on the source',
    marbles((m) => {
      const source = m.hot('  ---a-b-c---d----|');
      const subs = '        ^---------------!';
      const expected = '     ---a---c---d----|';
      const pipeline = onFirstUse(source, (values) => values.pipe(throttleTime(4, m.scheduler, { leading: true, trailing: true })));
      m.expect(pipeline).toBeObservable(expected);
      m.expect(source).toHaveSubscriptions(subs);
    }),
  );

  it('builds the pipeline only at the first value, once', () => {
    const source = new Subject<number>();
    let built = 0;
    const seen: number[] = [];
    let completed = false;
    const subscription = onFirstUse(source, (values) => {
      built += 1;
      return values.pipe(map((value) => value * 10));
    }).subscribe({ next: (value) => seen.push(value), complete: () => (completed = true) });
    expect(built).toBe(0);
    source.next(1);
    source.next(2);
    expect(built).toBe(1);
    expect(seen).toEqual([10, 20]);
    source.complete();
    expect(completed).toBe(true);
    subscription.unsubscribe();
  });

  it('passes completion and errors on when the pipeline was never built, and unsubscribes what it built', () => {
    const unused = new Subject<number>();
    let completed = false;
    onFirstUse(unused, (values) => values).subscribe({ complete: () => (completed = true) });
    unused.complete();
    expect(completed).toBe(true);

    const failing = new Subject<number>();
    let failure: unknown;
    onFirstUse(failing, (values) => values).subscribe({ error: (error: unknown) => (failure = error) });
    failing.error(new Error('gone'));
    expect(failure).toEqual(new Error('gone'));

    const source = new Subject<number>();
    const inner = new Subject<number>();
    const subscription = onFirstUse(source, () => inner).subscribe();
    source.next(1);
    expect(inner.observed).toBe(true);
    subscription.unsubscribe();
    expect(inner.observed).toBe(false);
    expect(source.observed).toBe(false);
  });
});

describe('deliverable and consumeInto', () => {
  const counting = () =>
    deliverable<number>(
      (deliver) =>
        new Observable<never>((subscriber) => {
          deliver(1);
          deliver(2);
          subscriber.complete();
        }),
    );

  it('is an observable of the values its producer delivers', () => {
    const seen: number[] = [];
    let completed = false;
    counting().subscribe({ next: (value) => seen.push(value), complete: () => (completed = true) });
    expect(seen).toEqual([1, 2]);
    expect(completed).toBe(true);
  });

  it('hands the values of a deliverable to the function itself, with no subscriber between', () => {
    const next = jest.fn();
    let given: unknown;
    const source = deliverable<number>((deliver) => {
      given = deliver;
      return new Observable<never>((subscriber) => subscriber.complete());
    });
    consumeInto(source, next).subscribe();
    expect(given).toBe(next);
    expect(consumeInto(counting(), next).subscribe().closed).toBe(true);
    expect(next.mock.calls).toEqual([[1], [2]]);
  });

  it('consumes any other observable, a throwing function ending it with that error', () => {
    const seen: number[] = [];
    consumeInto(of(1, 2), (value) => seen.push(value)).subscribe();
    expect(seen).toEqual([1, 2]);
    const failure = new Error('broken');
    let error: unknown;
    consumeInto(of(1), () => {
      throw failure;
    }).subscribe({ error: (e: unknown) => (error = e) });
    expect(error).toBe(failure);
  });
});
