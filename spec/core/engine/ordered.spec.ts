import { marbles } from 'rxjs-marbles/jest';
import { Subject, asapScheduler, map, timer } from 'rxjs';
import { inOrder, inOrderInto } from '../../../lib/core/engine/ordered';
import { silentLogger } from '../../../lib/core/logger';

describe('inOrder', () => {
  it('emits at once with nothing pending; outputs after an asynchronous step wait for it', marbles((m) => {
    // "s" is slow: its output comes 3 frames later, and "b" waits for it.
    // prettier-ignore
    const source =   m.hot('-a-s-b------c|');
    const expected =       '-a----(Sb)--c|';
    const out = source.pipe(
      inOrder<string, string>(
        (fx) => (input) => (input === 's' ? fx.later(timer(3, m.scheduler).pipe(map(() => 'S'))) : fx.emit(input)),
        m.scheduler,
        silentLogger,
      ),
    );
    m.expect(out).toBeObservable(expected);
  }));

  it('holds live inputs while a read runs, then steps what the read gave first', marbles((m) => {
    // prettier-ignore
    const source =   m.hot('-r-a-b-------|');
    const expected =       '-----(xyab)--|';
    const out = source.pipe(
      inOrder<string, string>(
        (fx) => (input) => (input === 'r' ? fx.hold(timer(4, m.scheduler).pipe(map(() => ['x', 'y']))) : fx.emit(input)),
        m.scheduler,
        silentLogger,
      ),
    );
    m.expect(out).toBeObservable(expected);
  }));

  it('runs timers on the scheduler and cancels them on unsubscribe', marbles((m) => {
    // prettier-ignore
    const source =   m.hot('-a--------');
    const unsub =          '------!';
    const expected =       '---t---';
    const out = source.pipe(
      inOrder<string, string>(
        (fx) => (input) => {
          if (input === 'a') {
            fx.arm('first', 2, 't');
            fx.arm('second', 8, 'u');
          } else fx.emit(input);
        },
        m.scheduler,
        silentLogger,
      ),
    );
    m.expect(out, unsub).toBeObservable(expected);
  }));

  it('a step that throws is skipped; the stream goes on', marbles((m) => {
    // prettier-ignore
    const source =   m.hot('-a-x-b|');
    const expected =       '-a---b|';
    const out = source.pipe(
      inOrder<string, string>(
        (fx) => (input) => {
          if (input === 'x') throw new Error('bad input');
          fx.emit(input);
        },
        m.scheduler,
        silentLogger,
      ),
    );
    m.expect(out).toBeObservable(expected);
  }));
});

describe('inOrderInto', () => {
  it('hands the outputs to a function, in order, after an asynchronous step too; the lifecycle emits nothing', marbles((m) => {
    // prettier-ignore
    const source =   m.hot('-a-s-b------c|');
    const expected =       '-------------|';
    const delivered: [number, string][] = [];
    const out = inOrderInto<string, string>(
      source,
      (fx) => (input) => (input === 's' ? fx.later(timer(3, m.scheduler).pipe(map(() => 'S'))) : fx.emit(input)),
      m.scheduler,
      silentLogger,
      (output) => delivered.push([m.scheduler.now(), output]),
    );
    m.expect(out).toBeObservable(expected);
    m.flush();
    expect(delivered).toEqual([[1, 'a'], [6, 'S'], [6, 'b'], [12, 'c']]);
  }));

  it('ends with the error of a deliver that throws, and unsubscribes the source', () => {
    const source = new Subject<string>();
    const failure = new Error('host broke');
    let error: unknown;
    inOrderInto<string, string>(source, (fx) => (input) => fx.emit(input), asapScheduler, silentLogger, () => {
      throw failure;
    }).subscribe({ error: (e: unknown) => (error = e) });
    source.next('a');
    expect(error).toBe(failure);
    expect(source.observed).toBe(false);
  });
});
