import { NEVER, Observable, Subject, concat, of, throwError } from 'rxjs';
import type { AdapterSession, ServiceDeskAdapter } from '../../lib/core/adapter';
import { DEFAULT_RETRY_POLICY } from '../../lib/core/backoff';
import type { DomainEvent } from '../../lib/core/events';
import { silentLogger, type Logger } from '../../lib/core/logger';
import { runSessionInto, type QueuedMessage, type SessionOptions } from '../../lib/core/session';
import { ev } from '../../lib/testing';
import { liveTimers, virtualTime } from '../support/virtual';

const OPTIONS: SessionOptions = {
  retry: DEFAULT_RETRY_POLICY,
  connectTimeoutMs: 15_000,
  sendTimeoutMs: 15_000,
  sendRetries: 3,
  endTimeoutMs: 3_000,
  typingThrottleMs: 1_000,
  maxTypingMs: 30_000,
  readThrottleMs: 1_000,
  random: () => 0,
};

/** A vendor session that stays connected; `live` counts subscriptions to its events. */
function vendor(overrides: Partial<AdapterSession> = {}) {
  const state = { live: 0 };
  const session: AdapterSession = {
    events$: new Observable<DomainEvent>((subscriber) => {
      state.live += 1;
      subscriber.next(ev.connected());
      return () => (state.live -= 1);
    }),
    sendMessage: () => NEVER,
    ...overrides,
  };
  const adapter: ServiceDeskAdapter = { name: 'test desk', open: () => session };
  return { adapter, state };
}

function run(adapter: ServiceDeskAdapter, deliver: (event: DomainEvent) => void = () => undefined, logger: Logger = silentLogger) {
  const { scheduler, at, flush } = virtualTime();
  let finished = 0;
  const session = runSessionInto(adapter, { summary: [], hostState: () => ({}), logger, scheduler }, OPTIONS, {}, deliver, () => (finished += 1));
  return { session, scheduler, at, flush, finished: () => finished };
}

const warnings = () => {
  const warned: string[] = [];
  const logger: Logger = { ...silentLogger, warn: (message) => void warned.push(message), error: (message) => void warned.push(message) };
  return { logger, warned };
};

describe('runSessionInto: the user ends the chat', () => {
  it('without an end command at the vendor, finishes at once and tears the connection down', () => {
    const { adapter, state } = vendor();
    const { session, finished } = run(adapter);
    expect(state.live).toBe(1);
    session.end();
    expect(finished()).toBe(1);
    expect(state.live).toBe(0);
  });

  it('a leave that fails is logged, and the chat still ends', () => {
    const { adapter, state } = vendor({ end: () => throwError(() => new Error('gone')) });
    const { logger, warned } = warnings();
    const { session, finished } = run(adapter, undefined, logger);
    session.end();
    expect(warned).toEqual(['test desk: leaving the chat failed']);
    expect(finished()).toBe(1);
    expect(state.live).toBe(0);
  });

  it('a leave that never answers ends the chat after endTimeoutMs, with no timer left', () => {
    const { adapter, state } = vendor({ end: () => NEVER });
    const { session, scheduler, at, flush, finished } = run(adapter);
    at(1_000, () => session.end());
    at(3_999, () => expect(finished()).toBe(0));
    flush();
    expect(scheduler.now()).toBe(4_000);
    expect(finished()).toBe(1);
    expect(state.live).toBe(0);
    expect(liveTimers(scheduler)).toBe(0);
  });

  it('settles a message still being sent: the chat ended first', () => {
    const { adapter } = vendor();
    const { session } = run(adapter);
    const settled: unknown[] = [];
    const message: QueuedMessage = { id: 'm1', text: 'Hello', files: [], settle: (error) => settled.push(error?.code ?? 'sent') };
    session.send(message);
    expect(settled).toEqual([]);
    session.end();
    expect(settled).toEqual(['NOT_CONNECTED']);
  });
});

describe('runSessionInto: the end tears down what is still running', () => {
  it('a send in flight is unsubscribed, and its late answer reaches no one', () => {
    const answers: Subject<boolean>[] = [];
    let unsubscribed = 0;
    const { adapter } = vendor({
      sendMessage: () =>
        new Observable<boolean>((subscriber) => {
          const answer = new Subject<boolean>();
          answers.push(answer);
          const subscription = answer.subscribe(subscriber);
          return () => {
            unsubscribed += 1;
            subscription.unsubscribe();
          };
        }),
    });
    const delivered: string[] = [];
    const { session } = run(adapter, (event) => delivered.push(event.type));
    session.send({ id: 'm1', text: 'Hello', files: [], settle: () => undefined });
    session.end();
    expect(unsubscribed).toBe(1);
    answers[0]!.next(true);
    expect(delivered).not.toContain('messageSent');
  });

  it('a send waiting for the connection is dropped from the wait', () => {
    let sent = 0;
    const vendorEvents = new Subject<DomainEvent>();
    const { adapter } = vendor({ events$: vendorEvents, sendMessage: () => ((sent += 1), of(true)) });
    const { session } = run(adapter);
    session.send({ id: 'm1', text: 'Hello', files: [], settle: () => undefined });
    session.stop();
    vendorEvents.next(ev.connected());
    expect(sent).toBe(0);
  });
});

describe('runSessionInto: one bad event', () => {
  it('that the host side throws on is logged and skipped; the next event still arrives', () => {
    const ann = { id: 'a1', nickname: 'Ann' };
    const { adapter } = vendor({ events$: concat(of(ev.connected(), ev.joined(ann), ev.message('m1', 'one'), ev.message('m2', 'two')), NEVER) });
    const { logger, warned } = warnings();
    const shown: string[] = [];
    run(
      adapter,
      (event) => {
        if (event.type === 'agentMessage' && event.id === 'm1') throw new Error('host broke');
        shown.push(event.type === 'agentMessage' ? event.id : event.type);
      },
      logger,
    );
    expect(warned).toEqual(['skipped an event the session could not process']);
    expect(shown).toEqual(['connected', 'agentJoined', 'm2']);
  });

  it('work that starts after the end is torn down at once: a leave during which the vendor ends the chat', () => {
    const vendorEvents = new Subject<DomainEvent>();
    const { adapter } = vendor({
      events$: concat(of(ev.connected()), vendorEvents),
      // The vendor ends the chat while the leave is on its way, and never answers the leave itself.
      end: () =>
        new Observable<never>(() => {
          vendorEvents.next(ev.ended());
        }),
    });
    const { session, scheduler, finished } = run(adapter);
    session.end();
    expect(finished()).toBe(1);
    expect(liveTimers(scheduler)).toBe(0);
    expect(vendorEvents.observed).toBe(false);
  });
});

describe('runSessionInto: an adapter command that throws instead of returning an observable', () => {
  it('a send that throws is a failed try: retried after the backoff, and the queue goes on', () => {
    let calls = 0;
    const { adapter } = vendor({
      sendMessage: () => {
        calls += 1;
        if (calls === 1) throw new Error('the SDK threw');
        return of(true);
      },
    });
    const { session, flush } = run(adapter);
    const settled: string[] = [];
    const message = (id: string): QueuedMessage => ({ id, text: id, files: [], settle: (error) => settled.push(`${id}:${error?.code ?? 'sent'}`) });
    session.send(message('m1'));
    session.send(message('m2'));
    expect(settled).toEqual([]);
    flush();
    expect(settled).toEqual(['m1:sent', 'm2:sent']);
    expect(calls).toBe(3);
  });

  it('a typing or read command that throws is logged at debug and the chat goes on', () => {
    const debug: string[] = [];
    const logger: Logger = { ...silentLogger, debug: (message) => void debug.push(message) };
    const { adapter, state } = vendor({
      sendTyping: () => {
        throw new Error('the SDK threw');
      },
      markRead: () => {
        throw new Error('the SDK threw');
      },
    });
    const { session, flush, finished } = run(adapter, undefined, logger);
    session.typing(true);
    session.read();
    flush();
    expect(debug).toEqual(['typing indicator not sent', 'read receipt not sent']);
    expect(finished()).toBe(0);
    expect(state.live).toBe(1);
  });

  it('a leave that throws is logged, and the chat still ends', () => {
    const { adapter, state } = vendor({
      end: () => {
        throw new Error('the SDK threw');
      },
    });
    const { logger, warned } = warnings();
    const { session, finished } = run(adapter, undefined, logger);
    session.end();
    expect(warned).toEqual(['test desk: leaving the chat failed']);
    expect(finished()).toBe(1);
    expect(state.live).toBe(0);
  });
});
