/**
 * Keeps the chat's messages in the tab's session storage and gives them back to Carbon AI Chat after a reload
 * (`messaging.customLoadHistory`): Carbon persists the agent connection but not the messages.
 */
import { BusEventType, type BusEvent, type BusEventReceive, type BusEventSend, type ChatInstance, type HistoryItem } from '@carbon/ai-chat';

/** Most messages kept; older ones are dropped. */
const LIMIT = 200;

/**
 * A history store for one chat namespace.
 *
 * @example
 * const history = sessionHistory('simulated');
 * const config = { messaging: { customLoadHistory: history.load }, onBeforeRender: history.record };
 */
export function sessionHistory(namespace: string) {
  const key = `rx-service-desk-demo:history:${namespace}`;
  const read = (): HistoryItem[] => {
    try {
      const items = JSON.parse(sessionStorage.getItem(key) ?? '[]') as unknown;
      return Array.isArray(items) ? (items as HistoryItem[]) : [];
    } catch {
      return [];
    }
  };
  const append = (message: HistoryItem['message']) => {
    const items = [...read(), { message, time: new Date().toISOString() }].slice(-LIMIT);
    sessionStorage.setItem(key, JSON.stringify(items));
  };
  return {
    load: async (): Promise<HistoryItem[]> => read(),
    record: (instance: ChatInstance): void => {
      // Each of these events carries the message as `data` (user messages as requests, the others as responses).
      const keep = (event: BusEvent) => append((event as BusEventSend | BusEventReceive).data);
      instance.on([
        { type: BusEventType.SEND, handler: keep },
        { type: BusEventType.RECEIVE, handler: keep },
        { type: BusEventType.HUMAN_AGENT_SEND, handler: keep },
        { type: BusEventType.HUMAN_AGENT_RECEIVE, handler: keep },
        { type: BusEventType.RESTART_CONVERSATION, handler: () => sessionStorage.removeItem(key) },
      ]);
    },
  };
}
