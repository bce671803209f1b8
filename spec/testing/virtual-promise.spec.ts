import { marbles } from 'rxjs-marbles/jest';
import { from } from 'rxjs';
import { VirtualPromise, settleAfter } from '../../lib/testing';

describe('VirtualPromise', () => {
  it('settles synchronously and chains like a promise', () => {
    const promise = new VirtualPromise<number>();
    const seen: unknown[] = [];
    promise
      .then((value) => value * 2)
      .then((value) => {
        seen.push(value);
        throw new Error('boom');
      })
      .catch((error: unknown) => seen.push((error as Error).message))
      .finally(() => seen.push('done'));
    expect(seen).toEqual([]);
    promise.resolve(21);
    promise.resolve(1);
    expect(seen).toEqual([42, 'boom', 'done']);
    expect(promise.settled).toBe(true);
  });

  it('adopts a thenable and works with await', async () => {
    const inner = new VirtualPromise<string>();
    const outer = new VirtualPromise<string>();
    outer.resolve(inner);
    inner.resolve('ok');
    await expect(outer).resolves.toBe('ok');
    const failed = new VirtualPromise<string>();
    failed.reject(new Error('no'));
    await expect(failed).rejects.toThrow('no');
  });

  it('settleAfter settles in the scheduler time, so from() emits in virtual time', marbles((m) => {
    const value$ = from(settleAfter({ scheduler: m.scheduler, latencyMs: 3 }, () => 'v'));
    m.expect(value$).toBeObservable('---(v|)', { v: 'v' });
    const error$ = from(
      settleAfter({ scheduler: m.scheduler, latencyMs: 2 }, () => {
        throw new Error('e');
      }),
    );
    m.expect(error$).toBeObservable('--#', {}, new Error('e'));
  }));
});
