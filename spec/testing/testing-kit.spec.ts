import { of, throwError } from 'rxjs';
import { marbles } from 'rxjs-marbles/jest';
import { CHECKLIST, FakeEmitter, describeHostCall, ev, hostLog, recordingCallback, scriptedAdapter } from '../../lib/testing';
import { silentLogger } from '../../lib/core/logger';

describe('testing kit', () => {
  it('recordingCallback records calls with their time; Carbon calls settle in scheduler time', marbles((m) => {
    const host = recordingCallback({ host: 'carbon', scheduler: m.scheduler, delayMs: 4 });
    let settledAt = -1;
    m.scheduler.schedule(() => {
      void (host.callback.agentTyping(true) as PromiseLike<void>).then(() => (settledAt = m.scheduler.now()));
    }, 3);
    m.flush();
    expect(host.calls).toEqual([{ method: 'agentTyping', args: [true], at: 3 }]);
    expect(settledAt).toBe(7);
  }));

  it('recordingCallback: failing callbacks, persisted state merged like Carbon, watsonx returns nothing', async () => {
    const carbon = recordingCallback({ fail: (method) => (method === 'agentLeftChat' ? new Error('nope') : undefined), persistedState: { a: 1 } });
    await expect(carbon.callback.agentLeftChat()).rejects.toThrow('nope');
    carbon.callback.updatePersistedState?.({ b: 2 });
    expect(carbon.persisted).toEqual({ a: 1, b: 2 });
    expect(carbon.callback.persistedState?.()).toEqual({ a: 1, b: 2 });
    const watsonx = recordingCallback({ host: 'watsonx', fail: (method) => (method === 'agentTyping' ? new Error('x') : undefined) });
    expect(watsonx.callback.agentJoined({ id: 'a', nickname: 'A' })).toBeUndefined();
    expect(() => watsonx.callback.agentTyping(true)).toThrow('x');
    expect(watsonx.callback.updatePersistedState).toBeUndefined();
    expect(watsonx.methods()).toEqual(['agentJoined', 'agentTyping']);
    watsonx.clear();
    expect(watsonx.calls).toEqual([]);
  });

  it('FakeEmitter counts listeners per event and in total, supports once and removeAllListeners', () => {
    const emitter = new FakeEmitter();
    const a = () => undefined;
    const seen: unknown[] = [];
    emitter.on('x', a).addListener('y', a).once('z', (value: never) => seen.push(value));
    expect([emitter.listenerCount('x'), emitter.listenerCount(), emitter.eventNames()]).toEqual([1, 3, ['x', 'y', 'z']]);
    expect(emitter.emit('z', 1)).toBe(true);
    expect(emitter.emit('z', 2)).toBe(false);
    expect(seen).toEqual([1]);
    emitter.off('x', a).removeListener('y', a);
    expect(emitter.listenerCount()).toBe(0);
    emitter.on('x', a).removeAllListeners();
    expect(emitter.listenerCount()).toBe(0);
  });

  it('scriptedAdapter records the commands and counts live subscriptions', async () => {
    const adapter = scriptedAdapter({ events: () => of(ev.connected()), send: (message) => (message.text === 'bad' ? throwError(() => new Error('x')) : of(true)) });
    const request = { summary: [], hostState: () => ({}), logger: silentLogger, scheduler: undefined as never };
    const session = adapter.open(request);
    const subscription = session.events$.subscribe();
    expect([adapter.attempts, adapter.live]).toEqual([1, 0]);
    subscription.unsubscribe();
    session.sendMessage({ id: '1', text: 'good' }).subscribe();
    session.sendMessage({ id: '2', text: 'bad' }).subscribe({ error: () => undefined });
    session.sendTyping?.(true).subscribe();
    session.markRead?.().subscribe();
    session.end?.().subscribe();
    expect([adapter.sent.map((message) => message.id), adapter.typing, adapter.reads, adapter.ends, adapter.requests.length]).toEqual([['1'], [true], 1, 1, 1]);
  });

  it('describeHostCall and hostLog give short transcript lines; CHECKLIST names the shared expectations', () => {
    expect(describeHostCall({ method: 'sendMessageToUser', args: ['plain'] })).toBe('sendMessageToUser(plain)');
    expect(describeHostCall({ method: 'beginTransferToAnotherAgent', args: [] })).toBe('beginTransferToAnotherAgent()');
    expect(describeHostCall({ method: 'agentLeftChat', args: [] })).toBe('agentLeftChat');
    const host = recordingCallback({ host: 'watsonx' });
    host.callback.updateCapabilities?.({});
    host.callback.agentJoined({ id: 'a', nickname: 'Ann' });
    expect(hostLog(host)).toEqual(CHECKLIST.firstJoin('Ann'));
    expect(CHECKLIST.transfer('Bob')).toEqual(['beginTransferToAnotherAgent(Bob)', 'agentJoined(Bob)']);
  });
});
