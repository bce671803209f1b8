import { marbles } from 'rxjs-marbles/jest';
import { of, throwError, type SchedulerLike } from 'rxjs';
import { ServiceDeskError } from '../../../lib/core/errors';
import {
  connectionEvents,
  connectionRestores,
  fatalErrors,
  removedDecoders,
  sharedClientDecoders,
  tokenRecovery,
  waitForInit,
  type ClientSignal,
} from '../../../lib/adapters/twilio-common/connection';

const signals: Record<string, ClientSignal> = {
  i: { kind: 'init', ok: true },
  f: { kind: 'init', ok: false },
  t: { kind: 'init', ok: false, terminal: true },
  c: { kind: 'state', state: 'connected' },
  g: { kind: 'state', state: 'connecting' },
  r: { kind: 'state', state: 'retrying' },
  d: { kind: 'state', state: 'denied' },
  o: { kind: 'state', state: 'disconnected' },
  x: { kind: 'token', reason: 'aboutToExpire' },
  e: { kind: 'error', terminal: true, message: 'gone' },
  s: { kind: 'error', terminal: false, message: 'blip' },
};

describe('connectionEvents', () => {
  it('reports drops that last the grace, not flaps, and nothing before the first connection', marbles((m) => {
    // prettier-ignore
    const source = m.hot('-g-c-g-c-r-----c', signals);
    const expected = '    ---R---R-----L-R';
    m.expect(connectionEvents(source, 4, m.scheduler)).toBeObservable(expected, {
      R: { type: 'connectionRestored' },
      L: { type: 'connectionLost', reason: 'Twilio connection dropped' },
    });
  }));

  it('counts init as connected and reports at once with no grace', marbles((m) => {
    // prettier-ignore
    const source = m.hot('-i-r-c', signals);
    const expected = '    -R-L-R';
    m.expect(connectionEvents(source, 0, m.scheduler)).toBeObservable(expected, {
      R: { type: 'connectionRestored' },
      L: { type: 'connectionLost', reason: 'Twilio connection dropped' },
    });
  }));
});

describe('connectionRestores', () => {
  it('emits each time the connection is back after any drop (denied too), not for repeats or other signals', marbles((m) => {
    // prettier-ignore
    const source = m.hot('-c-g-r-c-c-x-d-c-s-g-c', signals);
    const expected = '    -------R-------R-----R';
    m.expect(connectionRestores(source)).toBeObservable(expected, { R: undefined });
  }));
});

describe('waitForInit', () => {
  it('completes on init, errors retryable on a failure and not retryable on a terminal one', marbles((m) => {
    m.expect(waitForInit(m.hot('-c-i', signals), 'X')).toBeObservable('---(u|)', { u: undefined });
    m.expect(waitForInit(m.hot('--f', signals), 'X')).toBeObservable(
      '--#',
      {},
      new ServiceDeskError('CONNECT_FAILED', 'The X client failed to initialise: check the token and the chat service.', { retryable: true }),
    );
    const retryable: boolean[] = [];
    for (const source of ['--t', '-e-f', '-e-s-f']) waitForInit(m.hot(source, signals), 'X').subscribe({ error: (error: ServiceDeskError) => retryable.push(error.retryable) });
    m.flush();
    expect(retryable).toEqual([false, false, true]);
  }));
});

describe('fatalErrors', () => {
  it('errors, not retryable, on a terminal connection error only', marbles((m) => {
    const errors: ServiceDeskError[] = [];
    fatalErrors(m.hot('-s-e', signals), 'X').subscribe({ error: (error: ServiceDeskError) => errors.push(error) });
    m.flush();
    expect(errors.map((error) => [error.code, error.retryable])).toEqual([['CONNECTION_LOST', false]]);
  }));

  it('leaves the terminal error that comes with a refused token (denied) to the token recovery', marbles((m) => {
    m.expect(fatalErrors(m.hot('-d-e-c-e', signals), 'X')).toBeObservable('-------#', {}, expect.anything());
  }));
});

describe('tokenRecovery', () => {
  const settings = (m: { scheduler: SchedulerLike }) => ({ attempts: 3, timeoutMs: 5, scheduler: m.scheduler, vendor: 'X' });

  it('refreshes when the token is about to expire, denied or cut off, one at a time; signals during a refresh are not lost', marbles((m) => {
    let refreshes = 0;
    const refresh = () => {
      refreshes += 1;
      return m.cold('--(a|)');
    };
    // prettier-ignore
    const source = m.hot('-x-x-----d-c---o-c', signals);
    m.expect(tokenRecovery(source, refresh, settings(m))).toBeObservable('-------------------');
    m.flush();
    expect(refreshes).toBe(3);
  }));

  it('a refresh that leaves the client cut off, or does not answer, is tried again after a backoff; the third failure ends', marbles((m) => {
    const times: number[] = [];
    const refresh = () => {
      times.push(m.scheduler.now());
      return times.length === 1 ? m.cold('-(a|)') : m.cold('-');
    };
    const errors: ServiceDeskError[] = [];
    tokenRecovery(m.hot('-o', signals), refresh, settings(m)).subscribe({ error: (error: ServiceDeskError) => errors.push(error) });
    m.flush();
    expect(times).toEqual([1, 1 + 5 + 500, 1 + 5 + 500 + 5 + 1000]);
    expect(errors.map((error) => [error.code, error.retryable])).toEqual([['AUTH_FAILED', false]]);
  }));

  it('a refresh is done once the client is connected again', marbles((m) => {
    const source = m.hot('-o--c', signals);
    const errors: unknown[] = [];
    tokenRecovery(source, () => of(undefined), settings(m)).subscribe({ error: (error: unknown) => errors.push(error) });
    m.flush();
    expect(errors).toEqual([]);
  }));

  it('a refused token is retried; a refresh error that is not retryable ends at once', marbles((m) => {
    let refused = 0;
    const refusedOnce = () => (refused++ === 0 ? throwError(() => new ServiceDeskError('AUTH_FAILED', 'refused', { retryable: true })) : of(undefined));
    m.expect(tokenRecovery(m.hot('-x', signals), refusedOnce, settings(m))).toBeObservable('-');
    const failure = new ServiceDeskError('AUTH_FAILED', 'no token');
    m.expect(tokenRecovery(m.hot('-x', signals), () => throwError(() => failure), settings(m))).toBeObservable('-#', {}, failure);
    m.flush();
    expect(refused).toBe(2);
  }));
});

describe('client decoders', () => {
  it('decode states, errors and token events defensively', () => {
    expect(sharedClientDecoders.connectionStateChanged!('connected' as never)).toEqual({ kind: 'state', state: 'connected' });
    expect(sharedClientDecoders.connectionStateChanged!(42 as never)).toBeUndefined();
    expect(sharedClientDecoders.connectionError!(null as never)).toEqual({ kind: 'error', terminal: false, message: 'unknown connection error' });
    expect(sharedClientDecoders.tokenAboutToExpire!(undefined as never)).toEqual({ kind: 'token', reason: 'aboutToExpire' });
    expect(removedDecoders(['channelLeft']).channelLeft!({ sid: 'CH1' } as never)).toEqual({ kind: 'removed', sid: 'CH1' });
    expect(removedDecoders(['channelLeft']).channelLeft!(null as never)).toBeUndefined();
  });
});
