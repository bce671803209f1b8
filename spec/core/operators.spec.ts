import { Observable, of } from 'rxjs';
import { consumeInto, deliverable } from '../../lib/core/operators';

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
