import { NEVER, concat, of, timer, type SchedulerLike } from 'rxjs';
import { map } from 'rxjs/operators';
import type { ServiceDeskAdapter } from '../../lib/core/adapter';
import { DEFAULT_TEXTS } from '../../lib/core/host-calls';
import { lazyServiceDeskFactory, type LazyServiceDeskOptions } from '../../lib/core/lazy-desk';
import { createLogger, type LogSink } from '../../lib/core/logger';
import type { HostFileUpload, ServiceDesk } from '../../lib/host/types';
import { ev, hostLog, recordingCallback, scriptedAdapter, type ScriptedAdapter } from '../../lib/testing';
import { outcomeOf } from '../../lib/testing/conformance/chat';
import { connectMessage, virtualTime } from '../support/virtual';

const ann = { id: 'a1', nickname: 'Ann' };

/** The adapter's `import()`, settled by the test: how many times it was asked for, and its promise's outcome. */
function adapterLoader(adapter: ServiceDeskAdapter) {
  const calls: { resolve: () => void; reject: (error: Error) => void }[] = [];
  const load = () =>
    new Promise<ServiceDeskAdapter>((resolve, reject) => {
      calls.push({ resolve: () => resolve(adapter), reject });
    });
  return { load, calls };
}

/** Lets the desk module's `import()` and the adapter's promise settle: microtask hops only, no timer. */
async function loaded(): Promise<void> {
  for (let hop = 0; hop < 20; hop += 1) await Promise.resolve();
}

/** A lazy desk on a recording Carbon host in virtual time, with the adapter load in the test's hands. */
async function lazyDeskOn(adapter: ScriptedAdapter, options: Partial<LazyServiceDeskOptions> = {}, persistedState?: unknown) {
  const { scheduler, flush } = virtualTime();
  const host = recordingCallback({ host: 'carbon', scheduler, persistedState });
  const loader = adapterLoader(adapter);
  const factory = lazyServiceDeskFactory(loader.load, { name: 'scripted desk', scheduler, random: () => 0, ...options });
  const desk: ServiceDesk = await factory({ callback: host.callback, persistedState });
  return { desk, host, loader, flush, scheduler };
}

const connects = () => scriptedAdapter({ events: () => concat(of(ev.connected(), ev.joined(ann)), NEVER) });

describe('lazyServiceDeskFactory', () => {
  it('loads nothing before a call needs the desk, and keeps the state updates made before for the chat', async () => {
    const adapter = connects();
    const { desk, loader, flush } = await lazyDeskOn(adapter);
    expect(desk.getName()).toBe('scripted desk');
    desk.updateState({ userID: 'u-7' });
    desk.updateState({ locale: 'de' });
    await desk.userTyping(true);
    await desk.endChat();
    desk.filesSelectedForUpload([]);
    expect(loader.calls).toHaveLength(0);
    const started = desk.startChat(connectMessage());
    expect(loader.calls).toHaveLength(1);
    loader.calls[0]!.resolve();
    await loaded();
    flush();
    await expect(started).resolves.toBeUndefined();
    expect(adapter.requests[0]?.hostState()).toEqual({ userID: 'u-7', locale: 'de' });
    expect(adapter.requests[0]?.context).toMatchObject({ userId: 'u-7', locale: 'de' });
  });

  it('replays the calls made while it loads in order, then passes every call straight to the desk', async () => {
    const adapter = connects();
    const { desk, host, loader, flush } = await lazyDeskOn(adapter);
    const started = desk.startChat(connectMessage());
    const first = desk.sendMessageToAgent({ input: { text: 'one' } }, 'u1');
    void desk.userTyping(true);
    desk.updateState({ locale: 'fr' });
    const second = desk.sendMessageToAgent({ input: { text: 'two' } }, 'u2');
    expect(adapter.requests).toHaveLength(0);
    loader.calls[0]!.resolve();
    await loaded();
    // Loaded: the chat subscribed at once, as createServiceDesk's does.
    expect(adapter.requests).toHaveLength(1);
    flush();
    await expect(started).resolves.toBeUndefined();
    await expect(first).resolves.toBeUndefined();
    await expect(second).resolves.toBeUndefined();
    expect(adapter.sent.map((message) => message.id)).toEqual(['u1', 'u2']);
    expect(adapter.typing).toEqual([true]);
    expect(adapter.requests[0]?.hostState()).toEqual({ locale: 'fr' });
    expect(hostLog(host)).toEqual(['agentJoined(Ann)']);
    // From now on every call goes to the desk in the same tick.
    void desk.sendMessageToAgent({ input: { text: 'three' } }, 'u3');
    flush();
    expect(adapter.sent.map((message) => message.id)).toEqual(['u1', 'u2', 'u3']);
    await desk.endChat();
    expect(adapter.ends).toBe(1);
    expect(loader.calls).toHaveLength(1);
  });

  it('a replayed call that throws on the loaded desk does not hold back the calls after it', async () => {
    const adapter = connects();
    const { desk, loader, flush } = await lazyDeskOn(adapter);
    const started = desk.startChat(connectMessage());
    // A host bug: no file list. The loaded desk throws on it; the calls queued after it must still run.
    desk.filesSelectedForUpload(undefined as unknown as HostFileUpload[]);
    const sent = desk.sendMessageToAgent({ input: { text: 'after' } }, 'u1');
    loader.calls[0]!.resolve();
    await loaded();
    flush();
    await expect(started).resolves.toBeUndefined();
    await expect(sent).resolves.toBeUndefined();
    const next = desk.sendMessageToAgent({ input: { text: 'next' } }, 'u2');
    flush();
    await expect(next).resolves.toBeUndefined();
    expect(adapter.sent.map((message) => message.id)).toEqual(['u1', 'u2']);
  });

  it('endChat while it loads cancels the chat before the vendor hears of it', async () => {
    const adapter = connects();
    const { desk, host, loader, flush } = await lazyDeskOn(adapter);
    const started = desk.startChat(connectMessage());
    const sent = desk.sendMessageToAgent({ input: { text: 'hi' } }, 'u1');
    void desk.userTyping(true);
    await desk.endChat();
    await expect(started).resolves.toBeUndefined();
    await expect(sent).rejects.toMatchObject({ code: 'NOT_CONNECTED', message: 'The chat ended before the message was sent.' });
    await expect(desk.sendMessageToAgent({ input: { text: 'late' } }, 'u2')).rejects.toMatchObject({ code: 'NOT_CONNECTED' });
    loader.calls[0]!.resolve();
    await loaded();
    flush();
    expect(adapter.requests).toHaveLength(0);
    expect(adapter.typing).toEqual([]);
    expect(hostLog(host)).toEqual([]);
    // The next chat starts on the loaded desk at once.
    const again = desk.startChat(connectMessage());
    flush();
    await expect(again).resolves.toBeUndefined();
    expect(adapter.requests).toHaveLength(1);
  });

  it('a failed load rejects startChat with a clear, retryable error (the host shows a failed connection), and the next startChat tries again', async () => {
    const adapter = connects();
    const { desk, host, loader, flush } = await lazyDeskOn(adapter);
    desk.updateState({ userID: 'u-7' });
    const started = desk.startChat(connectMessage());
    const sent = desk.sendMessageToAgent({ input: { text: 'hi' } }, 'u1');
    loader.calls[0]!.reject(new Error('Failed to fetch dynamically imported module'));
    await expect(started).rejects.toMatchObject({
      name: 'ServiceDeskError',
      code: 'CONNECT_FAILED',
      retryable: true,
      message: 'Could not load scripted desk: check the network and try again. (Failed to fetch dynamically imported module)',
    });
    await expect(sent).rejects.toMatchObject({ code: 'CONNECT_FAILED' });
    expect(hostLog(host)).toEqual([]);
    const again = desk.startChat(connectMessage());
    expect(loader.calls).toHaveLength(2);
    loader.calls[1]!.resolve();
    await loaded();
    flush();
    await expect(again).resolves.toBeUndefined();
    expect(adapter.requests[0]?.hostState()).toEqual({ userID: 'u-7' });
  });

  it('areAnyAgentsOnline loads the desk and asks the adapter; a failed load answers agentsOnlineWhenUnknown', async () => {
    const adapter = scriptedAdapter({ events: () => NEVER, checkAvailability: () => Promise.resolve(true) });
    const online = await lazyDeskOn(adapter);
    const answer = online.desk.areAnyAgentsOnline(connectMessage());
    online.loader.calls[0]!.resolve();
    await loaded();
    online.flush();
    await expect(answer).resolves.toBe(true);
    const warnings: unknown[][] = [];
    const sink: LogSink = { ...console, warn: (...line: unknown[]) => void warnings.push(line) };
    const broken = await lazyDeskOn(adapter, { agentsOnlineWhenUnknown: false, logger: createLogger({ level: 'warn', sink }) });
    const unknown = broken.desk.areAnyAgentsOnline(connectMessage());
    broken.loader.calls[0]!.reject(new Error('offline'));
    await expect(unknown).resolves.toBe(false);
    expect(warnings.map(([line]) => line)).toEqual(['[rx-service-desk] scripted desk: availability check failed']);
  });

  it('a message with no chat ever started loads the desk, which tells the host that no chat runs', async () => {
    const { desk, host, loader, flush } = await lazyDeskOn(connects());
    const sent = desk.sendMessageToAgent({ input: { text: 'hi' } }, 'u1');
    loader.calls[0]!.resolve();
    await loaded();
    flush();
    await expect(sent).rejects.toMatchObject({ code: 'NOT_CONNECTED' });
    expect(hostLog(host)).toEqual([`setErrorStatus({"type":3,"messageID":"u1","logInfo":"No chat with an agent is running."})`, `notice(${DEFAULT_TEXTS.noChatRunning})`, 'agentEndedChat']);
  });

  it('offers reconnect only when resumable is set, since the host reads it before anything loads', async () => {
    const adapter = scriptedAdapter({
      canResume: true,
      events: (request) => concat(of(ev.connected(true), ev.message(`after-${String((request.resume as { token: string }).token)}`, 'welcome back')), NEVER),
    });
    const saved = { resume: { token: 't1' }, agent: ann };
    expect('reconnect' in (await lazyDeskOn(adapter, {}, saved)).desk).toBe(false);
    const { desk, host, loader, flush } = await lazyDeskOn(adapter, { resumable: true }, saved);
    const resumed = desk.reconnect!();
    expect(loader.calls).toHaveLength(1);
    loader.calls[0]!.resolve();
    await loaded();
    flush();
    await expect(resumed).resolves.toBe(true);
    expect(adapter.requests[0]?.resume).toEqual({ token: 't1' });
    expect(hostLog(host)).toEqual(['sendMessageToUser(welcome back)']);
  });

  it('reconnect answers false when the loaded adapter cannot resume, when the load fails, and when the chat ends while it loads', async () => {
    const saved = { resume: { token: 't1' } };
    const cannot = await lazyDeskOn(connects(), { resumable: true }, saved);
    const answer = cannot.desk.reconnect!();
    cannot.loader.calls[0]!.resolve();
    await loaded();
    await expect(answer).resolves.toBe(false);
    await expect(cannot.desk.reconnect!()).resolves.toBe(false);
    const failing = await lazyDeskOn(scriptedAdapter({ canResume: true, events: () => NEVER }), { resumable: true }, saved);
    const failed = failing.desk.reconnect!();
    failing.loader.calls[0]!.reject(new Error('offline'));
    await expect(failed).resolves.toBe(false);
    const ended = await lazyDeskOn(scriptedAdapter({ canResume: true, events: () => NEVER }), { resumable: true }, saved);
    const cancelled = ended.desk.reconnect!();
    await ended.desk.endChat();
    await expect(cancelled).resolves.toBe(false);
  });

  it('a chat that connects later resolves startChat in virtual time, like createServiceDesk', async () => {
    let clock: SchedulerLike | undefined;
    const { desk, loader, flush, scheduler } = await lazyDeskOn(scriptedAdapter({ events: () => timer(50, clock).pipe(map(() => ev.connected())) }));
    clock = scheduler;
    const started = desk.startChat(connectMessage());
    loader.calls[0]!.resolve();
    await loaded();
    expect(await outcomeOf(started)).toEqual({ state: 'pending' });
    flush();
    expect(await outcomeOf(started)).toEqual({ state: 'resolved', value: undefined });
  });

  it('needs a name (the host asks for it before the adapter loads) and the host parameters', async () => {
    const load = () => Promise.resolve(connects());
    expect(() => lazyServiceDeskFactory(load, { name: ' ' })).toThrow(expect.objectContaining({ code: 'CONFIG', message: 'The desk name must be 1 to 40 characters (got ""): set options.name.' }));
    expect(() => lazyServiceDeskFactory(load, {} as LazyServiceDeskOptions)).toThrow(expect.objectContaining({ code: 'CONFIG' }));
    await expect(lazyServiceDeskFactory(load, { name: 'x' })({} as never)).rejects.toMatchObject({ code: 'CONFIG' });
  });
});
