import { marbles } from 'rxjs-marbles/jest';
import { of, throwError } from 'rxjs';
import { ServiceDeskError } from '../../../lib/core/errors';
import {
  connectionEvents,
  connectionRestores,
  fatalErrors,
  removedDecoders,
  sharedClientDecoders,
  tokenRefresh,
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
    const terminal = waitForInit(m.hot('--t', signals), 'X');
    terminal.subscribe({ error: (error: ServiceDeskError) => expect(error.retryable).toBe(false) });
  }));
});

describe('fatalErrors', () => {
  it('errors, not retryable, on a terminal connection error only', marbles((m) => {
    const errors: ServiceDeskError[] = [];
    fatalErrors(m.hot('-s-e', signals), 'X').subscribe({ error: (error: ServiceDeskError) => errors.push(error) });
    m.flush();
    expect(errors.map((error) => [error.code, error.retryable])).toEqual([['CONNECTION_LOST', false]]);
  }));
});

describe('tokenRefresh', () => {
  it('refreshes on token signals and denied, one at a time', marbles((m) => {
    let refreshes = 0;
    const refresh = () => {
      refreshes += 1;
      return m.cold('---(a|)');
    };
    // prettier-ignore
    const source = m.hot('-x-x-----d', signals);
    m.expect(tokenRefresh(source, refresh, 2, 'X')).toBeObservable('----------');
    m.flush();
    expect(refreshes).toBe(2);
  }));

  it('ends with AUTH_FAILED after too many denials without a connection in between', marbles((m) => {
    const errors: ServiceDeskError[] = [];
    tokenRefresh(m.hot('-d-d-c-d-d-d', signals), () => of(undefined), 2, 'X').subscribe({ error: (error: ServiceDeskError) => errors.push(error) });
    m.flush();
    expect(errors.map((error) => error.code)).toEqual(['AUTH_FAILED']);
  }));

  it('passes a refresh failure on', marbles((m) => {
    const failure = new ServiceDeskError('AUTH_FAILED', 'no token');
    m.expect(tokenRefresh(m.hot('-x', signals), () => throwError(() => failure), 2, 'X')).toBeObservable('-#', {}, failure);
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
