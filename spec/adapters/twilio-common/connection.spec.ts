import { marbles } from 'rxjs-marbles/jest';
import { ServiceDeskError } from '../../../lib/core/errors';
import {
  connectionEvents,
  fatalErrors,
  isStuck,
  removedDecoders,
  sharedClientDecoders,
  tokenNeeded,
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
  it('after the first connection: drops that last the grace, not flaps, and every return', marbles((m) => {
    // prettier-ignore
    const source = m.hot('-g-c-g-c-r-----c', signals);
    const expected = '    -------R-----L-R';
    m.expect(connectionEvents(source, 4, m.scheduler)).toBeObservable(expected, {
      R: { type: 'connectionRestored' },
      L: { type: 'connectionLost', reason: 'Twilio connection dropped' },
    });
  }));

  it('counts init as the first connection and reports at once with no grace', marbles((m) => {
    // prettier-ignore
    const source = m.hot('-i-r-c', signals);
    const expected = '    ---L-R';
    m.expect(connectionEvents(source, 0, m.scheduler)).toBeObservable(expected, {
      R: { type: 'connectionRestored' },
      L: { type: 'connectionLost', reason: 'Twilio connection dropped' },
    });
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

describe('tokenNeeded', () => {
  it('asks for a token when it is about to expire, refused (denied) or the client is cut off (disconnected), not on tokenExpired alone', marbles((m) => {
    // prettier-ignore
    const source = m.hot('-x-d-o-g-c-y', { ...signals, y: { kind: 'token', reason: 'expired' } as ClientSignal });
    m.expect(tokenNeeded(source)).toBeObservable('-a-s-s------', { a: 'aboutToExpire', s: 'stuck' });
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

describe('isStuck', () => {
  it('names the states twilsock does not leave by itself', () => {
    expect(['denied', 'disconnected', 'connecting', 'connected', 'disconnecting'].map(isStuck)).toEqual([true, true, false, false, false]);
  });
});
