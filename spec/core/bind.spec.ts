import { Subject, of } from 'rxjs';
import { marbles } from 'rxjs-marbles/jest';
import { bind, createBinder } from '../../lib/core/bind';
import type { HostCall } from '../../lib/core/host-calls';
import { createLogger } from '../../lib/core/logger';
import { recordingCallback } from '../../lib/testing';

const typing = (isTyping: boolean): HostCall => ({ method: 'agentTyping', args: [isTyping] });
const joined: HostCall = { method: 'agentJoined', args: [{ id: 'a1', nickname: 'Ann' }] };
const message: HostCall = { method: 'sendMessageToUser', args: ['hello', 'a1'] };
const ended: HostCall = { method: 'agentEndedChat', args: [] };

function capture() {
  const lines: unknown[][] = [];
  const sink = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: (...args: unknown[]) => lines.push(args) };
  return { logger: createLogger({ level: 'debug', sink }), lines };
}

describe('bind', () => {
  it('calls in order and awaits each returned promise before the next call', marbles((m) => {
    const host = recordingCallback({ host: 'carbon', scheduler: m.scheduler, delayMs: (method) => (method === 'agentJoined' ? 5 : 1) });
    // prettier-ignore
    const calls$ = m.cold('ab(cd)|', { a: joined, b: message, c: typing(true), d: ended });
    bind(calls$, host.callback, { logger: createLogger() });
    m.flush();
    // agentJoined takes 5 frames: the message waits for it, then each call waits 1 frame for the previous one.
    expect(host.calls.map((call) => [call.method, call.at])).toEqual([
      ['agentJoined', 0],
      ['sendMessageToUser', 5],
      ['agentTyping', 6],
      ['agentEndedChat', 7],
    ]);
  }));

  it('calls a host whose callbacks return nothing synchronously (watsonx web chat)', () => {
    const host = recordingCallback({ host: 'watsonx' });
    const calls$ = new Subject<HostCall>();
    bind(calls$, host.callback, { logger: createLogger() });
    calls$.next(joined);
    expect(host.methods()).toEqual(['agentJoined']);
    calls$.next(message);
    expect(host.methods()).toEqual(['agentJoined', 'sendMessageToUser']);
  });

  it('logs a callback that throws or rejects and goes on with the next call', async () => {
    const { logger, lines } = capture();
    const failing = recordingCallback({ host: 'carbon', fail: (method) => (method === 'agentJoined' ? new Error('render failed') : undefined) });
    const done = new Promise<void>((resolve) => bind(of(joined, message), failing.callback, { logger, onComplete: resolve }));
    await done;
    expect(failing.methods()).toEqual(['agentJoined', 'sendMessageToUser']);
    expect(lines).toHaveLength(1);
    expect(String(lines[0]?.[0])).toContain('host callback agentJoined failed');

    const throwing = recordingCallback({ host: 'watsonx', fail: (method) => (method === 'agentJoined' ? new Error('boom') : undefined) });
    bind(of(joined, message), throwing.callback, { logger });
    expect(throwing.methods()).toEqual(['agentJoined', 'sendMessageToUser']);
    expect(lines).toHaveLength(2);
  });

  it('skips a method the host does not have', () => {
    const calls: string[] = [];
    const callback = { agentJoined: () => void calls.push('agentJoined') } as never;
    bind(of({ method: 'updateCapabilities', args: [{}] } as HostCall, joined), callback, { logger: createLogger() });
    expect(calls).toEqual(['agentJoined']);
  });

  it('reports completion once every call has settled', marbles((m) => {
    const host = recordingCallback({ host: 'carbon', scheduler: m.scheduler, delayMs: 3 });
    let completedAt = -1;
    bind(m.cold('(ab|)', { a: joined, b: ended }), host.callback, { logger: createLogger(), onComplete: () => (completedAt = m.scheduler.now()) });
    m.flush();
    expect(completedAt).toBe(6);
  }));

  it('mute drops queued calls at once and completes without waiting for a pending callback', marbles((m) => {
    const host = recordingCallback({ host: 'carbon', scheduler: m.scheduler, delayMs: 10 });
    let completed = false;
    const binding = bind(of(ended, message), host.callback, { logger: createLogger(), onComplete: () => (completed = true) });
    // agentEndedChat is pending (a host may call endChat from inside it): muting must not wait for it.
    binding.mute();
    expect(completed).toBe(true);
    m.flush();
    expect(host.methods()).toEqual(['agentEndedChat']);
  }));

  it('unsubscribe tears the source down', marbles((m) => {
    const host = recordingCallback({ host: 'watsonx' });
    const source = m.hot('-a-b-', { a: joined, b: message });
    const binding = bind(source, host.callback, { logger: createLogger() });
    m.scheduler.schedule(() => binding.unsubscribe(), 2);
    m.flush();
    m.expect(source).toHaveSubscriptions('^-!');
    expect(host.methods()).toEqual(['agentJoined']);
  }));

  describe('message and typing (the fast path without a call object)', () => {
    it('calls at once when idle, with one argument or two, and queues in order behind a pending promise', marbles((m) => {
      const host = recordingCallback({ host: 'carbon', scheduler: m.scheduler, delayMs: (method) => (method === 'agentJoined' ? 5 : 0) });
      const binder = createBinder(host.callback, { logger: createLogger() });
      binder.message('first');
      binder.push(joined);
      binder.message('hello', 'a1');
      binder.typing(false);
      expect(host.calls.map((call) => call.method)).toEqual(['sendMessageToUser', 'agentJoined']);
      m.flush();
      expect(host.calls.map((call) => [call.method, call.args, call.at])).toEqual([
        ['sendMessageToUser', ['first'], 0],
        ['agentJoined', [{ id: 'a1', nickname: 'Ann' }], 0],
        ['sendMessageToUser', ['hello', 'a1'], 5],
        ['agentTyping', [false], 5],
      ]);
    }));

    it('awaits a promise the callback returns before the next call', marbles((m) => {
      const host = recordingCallback({ host: 'carbon', scheduler: m.scheduler, delayMs: 4 });
      const binder = createBinder(host.callback, { logger: createLogger() });
      binder.typing(true);
      binder.message('hello', 'a1');
      m.flush();
      expect(host.calls.map((call) => [call.method, call.at])).toEqual([
        ['agentTyping', 0],
        ['sendMessageToUser', 4],
      ]);
    }));

    it('logs a callback that throws and goes on; skips a method the host does not have; nothing after mute or complete', () => {
      const { logger, lines } = capture();
      const calls: unknown[][] = [];
      const callback = {
        agentTyping: () => {
          throw new Error('boom');
        },
        agentJoined: (...args: unknown[]) => void calls.push(args),
      } as never;
      const binder = createBinder(callback, { logger });
      binder.typing(true);
      binder.message('hello');
      binder.push(joined);
      expect(String(lines[0]?.[0])).toContain('host callback agentTyping failed');
      expect(calls).toEqual([[{ id: 'a1', nickname: 'Ann' }]]);
      binder.complete();
      binder.push(joined);
      expect(calls).toHaveLength(1);
    });
  });
});
