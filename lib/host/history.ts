/**
 * The transcript after a page reload, for Carbon AI Chat 1.x: Carbon keeps the agent connection across a reload (and
 * calls `reconnect`) but not the messages. This helper records them in the tab's session storage and gives them back
 * through `messaging.customLoadHistory`.
 */
import { ServiceDeskError } from '../core/errors.js';

/**
 * One entry of Carbon AI Chat's history (`HistoryItem`): a message request or response and when it happened. `M` is
 * the host's message type (`HistoryItem['message']` of `@carbon/ai-chat`).
 */
export interface ChatHistoryItem<M extends object = object> {
  message: M;
  /** ISO time, e.g. `2026-11-30T02:40:00.000Z`. */
  time: string;
}

/** One bus event handler as `instance.on` takes it (`TypeAndHandler`). */
export interface HistoryEventHandler {
  type: string;
  handler: (event: { type: string; data?: unknown }) => unknown;
}

/**
 * What the helper needs of a chat instance: Carbon AI Chat's `instance.on`, which takes {@link HistoryEventHandler}s.
 * Its parameter is left open here so that Carbon's own `ChatInstance` (typed with its `BusEventType` enum) fits.
 */
export interface HistoryEventSource {
  on: (handlers: never) => unknown;
}

/** The part of the Web Storage API the helper uses (`sessionStorage` by default). */
export interface HistoryStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** Options of {@link chatHistory}. */
export interface ChatHistoryOptions {
  /** Where to keep the transcript. Default: the browser's `sessionStorage` (one tab, cleared when it closes). */
  storage?: HistoryStorage;
  /** Most messages kept; older ones are dropped. Default 200. */
  limit?: number;
  /** For tests: the clock. */
  now?: () => Date;
}

/** The helper {@link chatHistory} returns. */
export interface ChatHistory<M extends object = object> {
  /** For `messaging.customLoadHistory`: the recorded transcript, oldest first. */
  load(): Promise<ChatHistoryItem<M>[]>;
  /** For `onBeforeRender` (or right after the instance exists): records every message sent and shown. */
  record(instance: HistoryEventSource): void;
  /** Forgets the transcript (also done when the user restarts the conversation). */
  clear(): void;
}

/** Carbon AI Chat's bus events (`BusEventType`) whose `data` is a message; the last one clears the record. */
const MESSAGE_EVENTS = ['send', 'receive', 'human_agent:send', 'human_agent:receive'] as const;
const RESTART_EVENT = 'restartConversation';

function defaultStorage(): HistoryStorage {
  const storage = (globalThis as { sessionStorage?: HistoryStorage }).sessionStorage;
  if (!storage) {
    throw new ServiceDeskError('CONFIG', 'No sessionStorage here (not a browser?): pass options.storage to chatHistory.');
  }
  return storage;
}

/**
 * Keeps the chat's messages across a page reload for Carbon AI Chat 1.x, so that a resumed agent chat comes back
 * with its transcript. Messages stay in the tab's session storage under `rx-service-desk:history:<namespace>`; they
 * never leave the browser. Use one namespace per chat widget on the page.
 *
 * @example
 * import type { HistoryItem } from '@carbon/ai-chat';
 * import { chatHistory } from 'rx-service-desk';
 *
 * const history = chatHistory<HistoryItem['message']>('support');
 * <ChatContainer
 *   messaging={{ customLoadHistory: history.load }}
 *   onBeforeRender={history.record}
 *   serviceDeskFactory={serviceDeskFactory(() => simulatedDesk())}
 * />
 */
export function chatHistory<M extends object = object>(namespace: string, options: ChatHistoryOptions = {}): ChatHistory<M> {
  if (!namespace.trim()) throw new ServiceDeskError('CONFIG', 'chatHistory needs a namespace, e.g. chatHistory("support").');
  const limit = options.limit ?? 200;
  if (!Number.isInteger(limit) || limit < 1) throw new ServiceDeskError('CONFIG', `chatHistory: limit must be a positive integer (got ${String(limit)}).`);
  const storage = options.storage ?? defaultStorage();
  const now = options.now ?? (() => new Date());
  const key = `rx-service-desk:history:${namespace}`;

  const read = (): ChatHistoryItem<M>[] => {
    try {
      const items = JSON.parse(storage.getItem(key) ?? '[]') as unknown;
      return Array.isArray(items) ? items.filter((item): item is ChatHistoryItem<M> => isHistoryItem(item)) : [];
    } catch {
      return [];
    }
  };
  const append = (message: unknown) => {
    if (typeof message !== 'object' || message === null) return;
    const items = [...read(), { message, time: now().toISOString() }].slice(-limit);
    try {
      storage.setItem(key, JSON.stringify(items));
    } catch {
      // Storage full or not serialisable: the transcript just stops growing; the chat itself is unaffected.
    }
  };
  const clear = () => storage.removeItem(key);

  return {
    load: async () => read(),
    record: (instance) => {
      const handlers: HistoryEventHandler[] = [
        ...MESSAGE_EVENTS.map((type) => ({ type, handler: (event: { data?: unknown }) => append(event.data) })),
        { type: RESTART_EVENT, handler: clear },
      ];
      (instance.on as (handlers: HistoryEventHandler[]) => unknown).call(instance, handlers);
    },
    clear,
  };
}

function isHistoryItem(item: unknown): item is ChatHistoryItem {
  return (
    typeof item === 'object' &&
    item !== null &&
    typeof (item as ChatHistoryItem).time === 'string' &&
    typeof (item as ChatHistoryItem).message === 'object' &&
    (item as ChatHistoryItem).message !== null
  );
}
