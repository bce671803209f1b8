/**
 * The supported transcript helper for Carbon AI Chat 1.x (`messaging.customLoadHistory` + `onBeforeRender`), checked
 * against Carbon's own types and with a fake instance that dispatches bus events the way `instance.on` does.
 */
import type { ChatInstance, HistoryItem, PublicConfigMessaging } from '@carbon/ai-chat';
import { chatHistory, type HistoryEventHandler, type HistoryEventSource, type HistoryStorage } from '../../lib/host/history';

function memoryStorage(): HistoryStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (key) => data.get(key) ?? null,
    setItem: (key, value) => void data.set(key, value),
    removeItem: (key) => void data.delete(key),
  };
}

/** A chat instance's `on`: keeps the handlers by event type, `fire` dispatches one bus event. */
function fakeInstance() {
  const handlers = new Map<string, ((event: { type: string; data?: unknown }) => unknown)[]>();
  const instance: HistoryEventSource = {
    on: (list: HistoryEventHandler[]) => {
      for (const { type, handler } of list) handlers.set(type, [...(handlers.get(type) ?? []), handler]);
    },
  };
  const fire = (type: string, data?: unknown) => handlers.get(type)?.forEach((handler) => handler({ type, data }));
  return { instance, fire };
}

const clock = () => new Date('2026-11-30T02:40:00.000Z');
const user = (text: string) => ({ input: { text } });
const agent = (text: string) => ({ output: { generic: [{ response_type: 'text', text }] } });

describe('chatHistory (Carbon AI Chat transcript after a reload)', () => {
  it('fits Carbon AI Chat 1.x: onBeforeRender takes record, messaging.customLoadHistory takes load', () => {
    const history = chatHistory<HistoryItem['message']>('support', { storage: memoryStorage() });
    const source: HistoryEventSource = {} as ChatInstance;
    const customLoadHistory: NonNullable<PublicConfigMessaging['customLoadHistory']> = history.load;
    expect(source).toBeDefined();
    expect(typeof customLoadHistory).toBe('function');
  });

  it('records user, assistant and agent messages in order and gives them back after a "reload"', async () => {
    const storage = memoryStorage();
    const { instance, fire } = fakeInstance();
    chatHistory('support', { storage, now: clock }).record(instance);
    fire('send', user('I need a person'));
    fire('receive', agent('Connecting you'));
    fire('human_agent:receive', agent('Hi, I am Ann'));
    fire('human_agent:send', user('hello Ann'));
    fire('view:change', { not: 'a message' });
    const reloaded = chatHistory('support', { storage, now: clock });
    await expect(reloaded.load()).resolves.toEqual([
      { message: user('I need a person'), time: '2026-11-30T02:40:00.000Z' },
      { message: agent('Connecting you'), time: '2026-11-30T02:40:00.000Z' },
      { message: agent('Hi, I am Ann'), time: '2026-11-30T02:40:00.000Z' },
      { message: user('hello Ann'), time: '2026-11-30T02:40:00.000Z' },
    ]);
  });

  it('keeps the newest `limit` messages, separates namespaces and forgets on restart', async () => {
    const storage = memoryStorage();
    const { instance, fire } = fakeInstance();
    chatHistory('a', { storage, limit: 2, now: clock }).record(instance);
    chatHistory('b', { storage, now: clock }).record(fakeInstance().instance);
    for (const text of ['1', '2', '3']) fire('send', user(text));
    const texts = async (namespace: string) => (await chatHistory(namespace, { storage }).load()).map((item) => (item.message as { input: { text: string } }).input.text);
    await expect(texts('a')).resolves.toEqual(['2', '3']);
    await expect(texts('b')).resolves.toEqual([]);
    fire('restartConversation');
    await expect(texts('a')).resolves.toEqual([]);
  });

  it('corrupt or foreign stored data loads as an empty or filtered transcript, never throws', async () => {
    const storage = memoryStorage();
    storage.setItem('rx-service-desk:history:x', '{not json');
    await expect(chatHistory('x', { storage }).load()).resolves.toEqual([]);
    storage.setItem('rx-service-desk:history:x', JSON.stringify([{ message: user('ok'), time: 't' }, 'junk', { message: null, time: 't' }, { time: 't' }]));
    await expect(chatHistory('x', { storage }).load()).resolves.toEqual([{ message: user('ok'), time: 't' }]);
  });

  it('a full storage does not break the chat: the transcript stops growing', async () => {
    const storage = memoryStorage();
    const { instance, fire } = fakeInstance();
    chatHistory('x', { storage, now: clock }).record(instance);
    fire('send', user('kept'));
    storage.setItem = () => {
      throw new Error('QuotaExceededError');
    };
    expect(() => fire('send', user('dropped'))).not.toThrow();
    await expect(chatHistory('x', { storage }).load()).resolves.toHaveLength(1);
  });

  it('bad options get a clear error saying what to do', () => {
    expect(() => chatHistory(' ', { storage: memoryStorage() })).toThrow(/needs a namespace/);
    expect(() => chatHistory('x', { storage: memoryStorage(), limit: 0 })).toThrow(/limit must be a positive integer/);
    expect(() => chatHistory('x')).toThrow(/pass options.storage/);
  });
});
